/**
 * MaxPoolGrad for wasm. The stock kernel starts its running max at FLT_MIN, so windows whose
 * max is ≤ 0 (common after batch-norm) get no gradient. This one matches the cpu backend: each
 * window routes dy to the first position holding its maximum (−∞ start, strict >), padding never
 * wins, overlapping windows accumulate.
 */
import * as tf from "@tensorflow/tfjs-core";
import { backend_util } from "@tensorflow/tfjs-core";
import type { KernelArgs, WasmKernel } from "./kernelUtil.js";
import { f32, stockKernel } from "./kernelUtil.js";
import type { NativeKernels } from "../native.js";
import { nativeThreads } from "../native.js";

/** The same kernel running ferc's native code (threads over the batch) on the wasm heap. */
export function makeNativeMaxPoolGrad(native: NativeKernels): WasmKernel {
  return ({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo => {
    const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
    const ci = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const out = backend.makeOutput(input.shape, "float32");
    native.maxPoolGrad(f32(backend, input), f32(backend, dy), f32(backend, out), Int32Array.from([
      ci.batchSize, ci.inHeight, ci.inWidth, ci.inChannels, ci.outHeight, ci.outWidth,
      ci.effectiveFilterHeight, ci.effectiveFilterWidth, ci.strideHeight, ci.strideWidth,
      ci.padInfo.top, ci.padInfo.left, nativeThreads(),
    ]));
    return out;
  };
}

/**
 * MaxPool natively where the windows tile the input (2x2 stride 2 and the like: stock XNNPACK
 * runs on one thread); the stock kernel otherwise.
 */
export function makeNativeMaxPool(native: NativeKernels): WasmKernel {
  return (args: KernelArgs): tf.TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as { x: tf.TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolAttrs;
    if (x.dtype !== "float32" || x.shape.length !== 4) return stockKernel("MaxPool")(args);
    const ci = backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const out = backend.makeOutput([ci.batchSize, ci.outHeight, ci.outWidth, ci.outChannels], "float32");
    const done = ci.outHeight > 0 && ci.outWidth > 0 && native.maxPool(f32(backend, x), f32(backend, out), Int32Array.from([
      ci.batchSize, ci.inHeight, ci.inWidth, ci.inChannels, ci.outHeight, ci.outWidth,
      ci.effectiveFilterHeight, ci.effectiveFilterWidth, ci.strideHeight, ci.strideWidth,
      ci.padInfo.top, ci.padInfo.left, nativeThreads(),
    ]));
    if (done) return out;
    backend.disposeData(out.dataId);
    return stockKernel("MaxPool")(args);
  };
}

export function maxPoolGrad({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const ci = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const out = backend.makeOutput(input.shape, "float32");
  const x = f32(backend, input);
  const g = f32(backend, dy);
  const dx = f32(backend, out);
  dx.fill(0);
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = ci;
  const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = ci;
  const { top, left } = ci.padInfo;
  for (let b = 0; b < N; b++) {
    const xb = b * H * W * C;
    for (let oy = 0; oy < OH; oy++) {
      const y0 = Math.max(0, oy * sh - top);
      const y1 = Math.min(H, oy * sh - top + fh);
      for (let ox = 0; ox < OW; ox++) {
        const x0 = Math.max(0, ox * sw - left);
        const x1 = Math.min(W, ox * sw - left + fw);
        const gBase = ((b * OH + oy) * OW + ox) * C;
        for (let c = 0; c < C; c++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let iy = y0; iy < y1; iy++) {
            let p = xb + (iy * W + x0) * C + c;
            for (let ix = x0; ix < x1; ix++, p += C) {
              const v = x[p]!;
              if (v > best) {
                best = v;
                at = p;
              }
            }
          }
          // at < 0 only for all-NaN or empty windows; the cpu backend drops those too.
          if (at >= 0) dx[at] += g[gBase + c]!;
        }
      }
    }
  }
  return out;
}
