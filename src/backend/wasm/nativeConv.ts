/**
 * Kernels for wasm that run ferc's native AVX2 code directly on the wasm heap (no copies):
 * Conv2D, FusedConv2D, Conv2DBackpropInput (any stride) and Conv2DBackpropFilter here; MaxPoolGrad and inference FusedBatchNorm
 * from their modules. Each falls back to the portable/stock kernel for unsupported cases (NCHW,
 * dilation, output channels not a multiple of 8).
 */
import * as tf from "@tensorflow/tfjs-core";
import { backend_util, util } from "@tensorflow/tfjs-core";
import type { KernelArgs, WasmKernel } from "./kernelUtil.js";
import { f32, stockKernel } from "./kernelUtil.js";
import { nativeKernels, nativeThreads, type NativeKernels } from "../native.js";
import { conv2dBackpropFilter as portableFilterGrad } from "./conv2dBackpropFilter.js";
import { conv2dBackpropInput as portableInputGrad } from "./conv2dBackpropInput.js";
import { makeNativeMaxPool, makeNativeMaxPoolGrad } from "./maxPoolGrad.js";
import { makeNativeBatchNormInference } from "./batchNormInference.js";
import { nativeElementwiseKernels } from "./elementwise.js";

type ConvInfo = backend_util.Conv2DInfo;

function shapeArgs(ci: ConvInfo, padTop: number, padLeft: number): Int32Array {
  return Int32Array.from([
    ci.batchSize, ci.inHeight, ci.inWidth, ci.inChannels,
    ci.filterHeight, ci.filterWidth, ci.outChannels,
    ci.outHeight, ci.outWidth, ci.strideHeight, ci.strideWidth,
    padTop, padLeft, nativeThreads(),
  ]);
}

function supported(ci: ConvInfo, dataFormat: string | undefined): boolean {
  return (
    dataFormat !== "NCHW" &&
    ci.dilationHeight === 1 &&
    ci.dilationWidth === 1 &&
    ci.outChannels % 8 === 0 &&
    ci.batchSize * ci.outHeight * ci.outWidth > 0
  );
}

function forward(
  native: NativeKernels, args: KernelArgs, x: tf.TensorInfo, filter: tf.TensorInfo, ci: ConvInfo,
  padTop: number, padLeft: number, bias?: tf.TensorInfo, relu = false,
): tf.TensorInfo {
  const { backend } = args;
  const out = backend.makeOutput([ci.batchSize, ci.outHeight, ci.outWidth, ci.outChannels], "float32");
  const b = bias === undefined ? null : f32(backend, bias);
  native.conv2d(f32(backend, x), f32(backend, filter), f32(backend, out), shapeArgs(ci, padTop, padLeft), b, relu);
  return out;
}

/**
 * FusedConv2D (conv + bias + relu/linear) natively: inference through tfjs-layers and ferc's
 * fused conv op in training use it. Other activations, PReLU weights and odd biases delegate.
 */
export function makeFusedConv2D(native: NativeKernels): WasmKernel {
  return (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const a = args.attrs as unknown as tf.FusedConv2DAttrs;
    const act = a.activation ?? "linear";
    if (x!.dtype !== "float32" || a.dataFormat === "NCHW" || (act !== "linear" && act !== "relu") || preluActivationWeights) {
      return stockKernel("FusedConv2D")(args);
    }
    const ci = backend_util.computeConv2DInfo(
      x!.shape as [number, number, number, number],
      filter!.shape as [number, number, number, number],
      a.strides, a.dilations, a.pad, a.dimRoundingMode,
    );
    if (!supported(ci, a.dataFormat) || (bias !== undefined && util.sizeFromShape(bias.shape) !== ci.outChannels)) {
      return stockKernel("FusedConv2D")(args);
    }
    return forward(native, args, x!, filter!, ci, ci.padInfo.top, ci.padInfo.left, bias, act === "relu");
  };
}

export function makeConv2D(native: NativeKernels): WasmKernel {
  return (args) => {
    const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const a = args.attrs as unknown as tf.Conv2DAttrs;
    if (x.dtype !== "float32" || a.dataFormat === "NCHW") return stockKernel("Conv2D")(args);
    const ci = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      a.strides, a.dilations, a.pad, a.dimRoundingMode,
    );
    if (!supported(ci, a.dataFormat)) return stockKernel("Conv2D")(args);
    return forward(native, args, x, filter, ci, ci.padInfo.top, ci.padInfo.left);
  };
}

export function makeConv2DBackpropInput(native: NativeKernels): WasmKernel {
  return (args) => {
    const { backend } = args;
    const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const a = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const ci = backend_util.computeConv2DInfo(a.inputShape, filter.shape as [number, number, number, number], a.strides, 1, a.pad, a.dimRoundingMode);
    // The native kernel vectorises over dx's channels (the forward conv's input channels).
    if (a.dataFormat === "NCHW" || ci.inChannels % 8 !== 0 || ci.batchSize * ci.inHeight * ci.inWidth === 0) {
      return portableInputGrad(args);
    }
    const dx = backend.makeOutput(a.inputShape, "float32");
    native.conv2dInputGrad(f32(backend, dy), f32(backend, filter), f32(backend, dx), shapeArgs(ci, ci.padInfo.top, ci.padInfo.left));
    return dx;
  };
}

export function makeConv2DBackpropFilter(native: NativeKernels): WasmKernel {
  return (args) => {
    const { backend } = args;
    const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const a = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const ci = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode);
    if (!supported(ci, a.dataFormat)) return portableFilterGrad(args);
    const dw = backend.makeOutput(a.filterShape, "float32");
    native.conv2dFilterGrad(f32(backend, x), f32(backend, dy), f32(backend, dw), shapeArgs(ci, ci.padInfo.top, ci.padInfo.left));
    return dw;
  };
}

/** The native kernels (convolutions, max-pool gradient, inference batch norm) by name, or {} without the addon. */
export function nativeWasmKernels(): Record<string, WasmKernel> {
  const native = nativeKernels();
  if (native === null) return {};
  return {
    Conv2D: makeConv2D(native),
    FusedConv2D: makeFusedConv2D(native),
    Conv2DBackpropInput: makeConv2DBackpropInput(native),
    Conv2DBackpropFilter: makeConv2DBackpropFilter(native),
    MaxPool: makeNativeMaxPool(native),
    ...(typeof native.elementwise === "function" ? nativeElementwiseKernels(native) : {}),
    MaxPoolGrad: makeNativeMaxPoolGrad(native),
    FusedBatchNorm: makeNativeBatchNormInference(native),
  };
}
