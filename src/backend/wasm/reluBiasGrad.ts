/**
 * FercReluBiasGrad {dy, y} → [dz, dbias] for wasm: the backward of relu(conv + bias) given its
 * output y, in one pass (dz = dy·[y > 0], dbias = Σ over all axes but the last). Replaces the
 * Step, Multiply and Sum kernels tfjs would run. Native when the addon loads; otherwise those
 * three stock-kernel passes (with ferc's leading-axes Sum), which beat a JS loop over the heap.
 */
import * as tf from "@tensorflow/tfjs-core";
import { util } from "@tensorflow/tfjs-core";
import type { KernelArgs, WasmKernel } from "./kernelUtil.js";
import { f32, free, run } from "./kernelUtil.js";
import { nativeKernels, nativeThreads } from "../native.js";
import { sum } from "./reduce.js";

export const RELU_BIAS_GRAD = "FercReluBiasGrad";

/** Portable: dz = dy · step(y), db = Σ dz over leading axes, on stock wasm kernels. */
function reluBiasGradComposite({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const { dy, y } = inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
  const mask = run(backend, "Step", { x: y }, { alpha: 0 });
  const dz = run(backend, "Multiply", { a: dy, b: mask });
  free(backend, mask);
  const axes = y.shape.slice(0, -1).map((_, i) => i);
  const db = sum({ inputs: { x: dz }, backend, attrs: { axis: axes, keepDims: false } });
  return [dz, db] as unknown as tf.TensorInfo;
}

export function reluBiasGradKernel(useNative: boolean): WasmKernel {
  const native = useNative ? nativeKernels() : null;
  if (native === null) return reluBiasGradComposite;
  return ({ inputs, backend }: KernelArgs) => {
    const { dy, y } = inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
    const c = y.shape[y.shape.length - 1] ?? 1;
    const m = util.sizeFromShape(y.shape) / c;
    const dz = backend.makeOutput(y.shape, "float32");
    const db = backend.makeOutput([c], "float32");
    const [g, o, d, b] = [dy, y, dz, db].map((t) => f32(backend, t)) as [Float32Array, Float32Array, Float32Array, Float32Array];
    native.reluBiasGrad(g, o, d, b, Int32Array.from([m, c, nativeThreads()]));
    return [dz, db] as unknown as tf.TensorInfo;
  };
}
