/**
 * Conv2DBackpropFilter for wasm (the stock backend has none), built from stock kernels as one
 * forward convolution: x transposed to [C, H, W, N] is convolved with dy used as a filter
 * [oh, ow, N, O] with dilation = stride, giving [C, fh', fw', O]; a slice and transpose give
 * dW [fh, fw, C, O]. Padding is applied to x up front so the convolution is 'valid'.
 */
import * as tf from "@tensorflow/tfjs-core";
import { backend_util } from "@tensorflow/tfjs-core";
import type { KernelArgs } from "./kernelUtil.js";
import { free, run } from "./kernelUtil.js";

export function conv2dBackpropFilter({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (a.dataFormat === "NCHW") throw new Error("ferc wasm Conv2DBackpropFilter supports NHWC only");
  const ci = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    a.filterShape,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const { top, bottom, left, right } = ci.padInfo;
  const temps: tf.TensorInfo[] = [];
  let xp = x;
  if (top || bottom || left || right) {
    xp = run(backend, "PadV2", { x }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 });
    temps.push(xp);
  }
  const xt = run(backend, "Transpose", { x: xp }, { perm: [3, 1, 2, 0] });
  const f = run(backend, "Transpose", { x: dy }, { perm: [1, 2, 0, 3] });
  temps.push(xt, f);
  const r = run(backend, "Conv2D", { x: xt, filter: f }, {
    strides: [1, 1],
    pad: "valid",
    dataFormat: "NHWC",
    dilations: [ci.strideHeight, ci.strideWidth],
  });
  temps.push(r);
  // r is [C, fh', fw', O] with fh' ≥ fh when the last stride window overhangs: keep [0, fh).
  let rs = r;
  if (r.shape[1] !== ci.filterHeight || r.shape[2] !== ci.filterWidth) {
    rs = run(backend, "Slice", { x: r }, { begin: [0, 0, 0, 0], size: [ci.inChannels, ci.filterHeight, ci.filterWidth, ci.outChannels] });
    temps.push(rs);
  }
  const dw = run(backend, "Transpose", { x: rs }, { perm: [1, 2, 0, 3] });
  free(backend, ...temps);
  return dw;
}
