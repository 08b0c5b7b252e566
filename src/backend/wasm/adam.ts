/**
 * FercAdamUpdate {x, m, v, g} → [x', m', v'] on wasm: one pass over a variable for the whole Adam
 * update. tfjs' Adam issues ~12 elementwise kernels per variable (~500 per vgg-small step, nearly
 * all of it per-call overhead on tensors of a few thousand values). Same formula and order as
 * tfjs' AdamOptimizer:
 *   m' = β1·m + (1−β1)·g,  v' = β2·v + (1−β2)·g²,
 *   x' = x − lr · (m'/c1) / (sqrt(v'/c2) + ε)   with c1 = 1 − β1ᵗ, c2 = 1 − β2ᵗ.
 * Elementwise, so the result never depends on threads or chunking.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { KernelArgs, WasmKernel } from "./kernelUtil.js";
import { f32 } from "./kernelUtil.js";

export const ADAM_UPDATE = "FercAdamUpdate";

export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  lr: number;
  epsilon: number;
  /** 1 − β1ᵗ and 1 − β2ᵗ for this step. */
  c1: number;
  c2: number;
}

export const adamUpdate: WasmKernel = ((args: KernelArgs) => {
  const { backend } = args;
  const { x, m, v, g } = args.inputs as Record<"x" | "m" | "v" | "g", tf.TensorInfo>;
  const a = args.attrs as unknown as AdamUpdateAttrs;
  const outs = [x, m, v].map((t) => backend.makeOutput(t.shape, "float32"));
  // Views taken after every allocation: growing the wasm heap detaches earlier views.
  const [px, pm, pv, pg] = [x, m, v, g].map((t) => f32(backend, t));
  const [ox, om, ov] = outs.map((t) => f32(backend, t));
  const { beta1, beta2, lr, epsilon, c1, c2 } = a;
  const k1 = 1 - beta1;
  const k2 = 1 - beta2;
  for (let i = 0; i < px!.length; i++) {
    const gi = pg![i]!;
    const mi = pm![i]! * beta1 + gi * k1;
    const vi = pv![i]! * beta2 + gi * gi * k2;
    om![i] = mi;
    ov![i] = vi;
    ox![i] = px![i]! - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + epsilon);
  }
  return outs as unknown as tf.TensorInfo;
}) as WasmKernel;
