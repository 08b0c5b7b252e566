/**
 * Sum and Mean over leading axes for wasm (per-channel reductions of NHWC tensors: bias and
 * batch-norm gradients, batch statistics). The stock kernels transpose then reduce (~18 ms for a
 * [128,46,46,16] tensor); viewing x as [1, R, 1, C] and average-pooling one R×1 window does it in
 * one XNNPACK pass. Other axes and dtypes delegate to the stock kernels.
 */
import * as tf from "@tensorflow/tfjs-core";
import { util } from "@tensorflow/tfjs-core";
import type { KernelArgs, WasmKernel } from "./kernelUtil.js";
import { f32, free, run, stockKernel } from "./kernelUtil.js";

/** Number of leading axes reduced, or −1 when the axes are not exactly 0..k−1 (k ≥ 1). */
function leadingAxes(axis: number | number[], rank: number): number {
  const axes = util.parseAxisParam(axis, [...Array(rank).keys()].map(() => 1)).sort((a, b) => a - b);
  if (axes.length === 0) return -1;
  return axes.every((a, i) => a === i) ? axes.length : -1;
}

function reduceLeading(kind: "Sum" | "Mean"): WasmKernel {
  return (args: KernelArgs): tf.TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = attrs as unknown as tf.SumAttrs;
    const k = leadingAxes(axis, x.shape.length);
    const size = util.sizeFromShape(x.shape);
    if (x.dtype !== "float32" || k < 0 || size === 0) return stockKernel(kind)(args);
    const rows = util.sizeFromShape(x.shape.slice(0, k));
    const cols = size / rows;
    if (rows === 1) return stockKernel(kind)(args);
    const outShape = keepDims ? x.shape.map((d, i) => (i < k ? 1 : d)) : x.shape.slice(k);
    const view = run(backend, "Reshape", { x }, { shape: [1, rows, 1, cols] });
    const avg = run(backend, "AvgPool", { x: view }, { filterSize: [rows, 1], strides: [1, 1], pad: "valid" });
    free(backend, view);
    if (kind === "Mean") {
      const out = run(backend, "Reshape", { x: avg }, { shape: outShape });
      free(backend, avg);
      return out;
    }
    const out = backend.makeOutput(outShape, "float32");
    const a = f32(backend, avg);
    const o = f32(backend, out);
    for (let i = 0; i < cols; i++) o[i] = a[i]! * rows;
    free(backend, avg);
    return out;
  };
}

export const sum = reduceLeading("Sum");
export const mean = reduceLeading("Mean");
