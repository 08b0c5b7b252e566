/**
 * Conv2DBackpropInput for wasm. The stock kernel is a naive loop (~1 s per vgg-small step); for
 * stride 1 the input gradient is a forward 'full' convolution of dy with the spatially flipped,
 * in/out-swapped filter, which runs on XNNPACK. Strided cases delegate to the stock kernel.
 */
import * as tf from "@tensorflow/tfjs-core";
import { backend_util } from "@tensorflow/tfjs-core";
import type { KernelArgs } from "./kernelUtil.js";
import { free, run, stockKernel } from "./kernelUtil.js";

export function conv2dBackpropInput(args: KernelArgs): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const a = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const ci = backend_util.computeConv2DInfo(
    a.inputShape,
    filter.shape as [number, number, number, number],
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  if (a.dataFormat === "NCHW" || ci.strideHeight !== 1 || ci.strideWidth !== 1) {
    return stockKernel("Conv2DBackpropInput")(args);
  }
  const { top, bottom, left, right } = ci.padInfo;
  const fh = ci.filterHeight;
  const fw = ci.filterWidth;
  // [fh, fw, C, O] → flip both spatial axes → [fh, fw, O, C].
  const flipped = run(backend, "Reverse", { x: filter }, { dims: [0, 1] });
  const swapped = run(backend, "Transpose", { x: flipped }, { perm: [0, 1, 3, 2] });
  const dx = run(backend, "Conv2D", { x: dy, filter: swapped }, {
    strides: [1, 1],
    pad: [
      [0, 0],
      [fh - 1 - top, fh - 1 - bottom],
      [fw - 1 - left, fw - 1 - right],
      [0, 0],
    ],
    dataFormat: "NHWC",
    dilations: [1, 1],
  });
  free(backend, flipped, swapped);
  return dx;
}
