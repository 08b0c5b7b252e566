/**
 * FercDropout {x} → y and FercDropoutGrad {dy} → dx on wasm, attrs {rate, seed}: y = x·mask/(1−rate)
 * with a counter-based mask (element i kept when hash(seed, i) >= rate). The backward pass
 * regenerates the mask from the same (seed, i), so nothing is stored, and the result is the same
 * for any thread count. Native (native/dropout.h) when the addon loads, else the identical hash in
 * TypeScript; stock tfjs dropout instead draws every random number in JS and runs four
 * elementwise kernels forward.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { util } from "@tensorflow/tfjs-core";
import type { KernelArgs, WasmKernel } from "./kernelUtil.js";
import { f32 } from "./kernelUtil.js";
import { nativeKernels, nativeThreads, type NativeKernels } from "../native.js";

export const DROPOUT = "FercDropout";
export const DROPOUT_GRAD = "FercDropoutGrad";

export interface DropoutAttrs {
  rate: number;
  /** uint32 mask seed. */
  seed: number;
}

/** The 24-bit uniform of native/dropout.h, bit for bit: murmur3's finaliser of seed ^ (i·φ). */
export function dropoutUniform(seed: number, i: number): number {
  let h = (seed ^ Math.imul(i, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 8) / 16777216;
}

function apply(native: NativeKernels | null, x: Float32Array, y: Float32Array, a: DropoutAttrs): void {
  // float32 arithmetic, as the native kernel: rate and scale rounded once.
  const rate = Math.fround(a.rate);
  const scale = Math.fround(1 / Math.fround(1 - rate));
  if (native) {
    native.dropout(x, y, Int32Array.from([x.length, a.seed | 0, nativeThreads()]), rate);
    return;
  }
  for (let i = 0; i < x.length; i++) y[i] = dropoutUniform(a.seed >>> 0, i) >= rate ? x[i]! * scale : 0;
}

function kernel(input: "x" | "dy", useNative: boolean): WasmKernel {
  const native = useNative ? nativeKernels() : null;
  return ((args: KernelArgs) => {
    const { backend } = args;
    const t = (args.inputs as Record<string, tf.TensorInfo>)[input]!;
    const out = backend.makeOutput(t.shape, "float32");
    if (util.sizeFromShape(t.shape) > 0) apply(native, f32(backend, t), f32(backend, out), args.attrs as unknown as DropoutAttrs);
    return out;
  }) as WasmKernel;
}

/** Both kernels; with `native` (default) they use the addon when it loads. */
export function dropoutKernels(native = true): Record<string, WasmKernel> {
  const useNative = native && nativeKernels() !== null && typeof nativeKernels()!.dropout === "function";
  return { [DROPOUT]: kernel("x", useNative), [DROPOUT_GRAD]: kernel("dy", useNative) };
}
