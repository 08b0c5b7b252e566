/**
 * FusedBatchNorm (inference-mode batch norm: moving statistics) for wasm with the native addon:
 * the per-channel scale and shift are folded on the host (C values) and applied in one native
 * pass. The stock kernel costs about as much as the convolutions in vgg-small inference. Shapes
 * other than per-last-axis vectors delegate to the stock kernel.
 */
import * as tf from "@tensorflow/tfjs-core";
import { util } from "@tensorflow/tfjs-core";
import type { KernelArgs, WasmKernel } from "./kernelUtil.js";
import { f32, stockKernel } from "./kernelUtil.js";
import { nativeThreads, type NativeKernels } from "../native.js";

export function makeNativeBatchNormInference(native: NativeKernels): WasmKernel {
  return (args: KernelArgs) => {
    const { inputs, backend, attrs } = args;
    const { x, mean, variance, offset, scale } = inputs as Record<string, tf.TensorInfo | undefined>;
    const c = x!.shape[x!.shape.length - 1] ?? 1;
    const perChannel = (t: tf.TensorInfo | undefined) => t === undefined || util.sizeFromShape(t.shape) === c;
    if (x!.dtype !== "float32" || ![mean, variance, offset, scale].every(perChannel) || mean === undefined || variance === undefined) {
      return stockKernel("FusedBatchNorm")(args);
    }
    const eps = (attrs["varianceEpsilon"] as number | undefined) ?? 0.001;
    const m = f32(backend, mean);
    const v = f32(backend, variance);
    const g = scale === undefined ? undefined : f32(backend, scale);
    const b = offset === undefined ? undefined : f32(backend, offset);
    const k = new Float32Array(c);
    const s = new Float32Array(c);
    for (let j = 0; j < c; j++) {
      const inv = (g === undefined ? 1 : g[j]!) / Math.sqrt(v[j]! + eps);
      k[j] = inv;
      s[j] = (b === undefined ? 0 : b[j]!) - m[j]! * inv;
    }
    const out = backend.makeOutput(x!.shape, "float32");
    native.channelAffine(f32(backend, x!), k, s, f32(backend, out), Int32Array.from([util.sizeFromShape(x!.shape) / c, c, nativeThreads()]));
    return out;
  };
}
