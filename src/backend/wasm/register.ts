/**
 * Registers ferc's training kernels on the wasm backend. Stock kernels that are missing
 * (Conv2DBackpropFilter), wrong (MaxPoolGrad) or slow for training shapes are replaced, and the
 * fused ops' kernels added; originals stay reachable through `stockKernel` for delegation.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { KernelFunc } from "@tensorflow/tfjs-core";
import { stockKernel, type WasmKernel } from "./kernelUtil.js";
import { maxPoolGrad } from "./maxPoolGrad.js";
import { conv2dBackpropFilter } from "./conv2dBackpropFilter.js";
import { conv2dBackpropInput } from "./conv2dBackpropInput.js";
import { tile } from "./tile.js";
import { mean, sum } from "./reduce.js";
import { cast, identity } from "./identity.js";
import { batchMatMul } from "./batchMatMul.js";
import { nativeWasmKernels } from "./nativeConv.js";
import { batchNormTrainKernels } from "./batchNormTrain.js";
import { RELU_BIAS_GRAD, reluBiasGradKernel } from "./reluBiasGrad.js";
import { convBiasRelu } from "./convBiasRelu.js";
import { ADAM_UPDATE, adamUpdate } from "./adam.js";
import { dropoutKernels } from "./dropout.js";

/** Portable kernels ferc provides for wasm, by kernel name (TypeScript over stock wasm kernels). */
export const WASM_TRAINING_KERNELS: Readonly<Record<string, WasmKernel>> = {
  MaxPoolGrad: maxPoolGrad,
  Conv2DBackpropFilter: conv2dBackpropFilter,
  Conv2DBackpropInput: conv2dBackpropInput,
  Tile: tile,
  Sum: sum,
  Mean: mean,
  Identity: identity,
  Cast: cast,
  BatchMatMul: batchMatMul,
  FercConv2DBiasRelu: convBiasRelu,
  [ADAM_UPDATE]: adamUpdate,
};

/** Stock kernels the overrides delegate to: captured before anything is replaced. */
const DELEGATES = [
  "Conv2D", "Transpose", "PadV2", "Slice", "Reverse", "Reshape", "AvgPool",
  "Conv2DBackpropInput", "MaxPool", "Tile", "Sum", "Mean", "Identity", "Cast", "BatchMatMul", "FusedConv2D", "FusedBatchNorm", "Step", "Multiply", "Add", "Relu",
];

let registered = false;

/** What registerWasmTrainingKernels installed: "portable" or "native" per kernel name. */
export const installedWasmKernels: Record<string, "portable" | "native"> = {};

/**
 * Install ferc's kernels (once per process); with `native` (default) and the addon loaded, the
 * native AVX2 kernels (convolutions, batch norm, pool gradient, relu+bias gradient) replace the
 * portable ones.
 */
export function registerWasmTrainingKernels(native = true): void {
  if (registered) return;
  for (const name of DELEGATES) stockKernel(name);
  const nat = native ? nativeWasmKernels() : {};
  const bn = { ...batchNormTrainKernels(native), [RELU_BIAS_GRAD]: reluBiasGradKernel(native), ...dropoutKernels(native) };
  const all: Record<string, WasmKernel> = { ...WASM_TRAINING_KERNELS, ...bn, ...nat };
  const nativeBn = native && Object.keys(nat).length > 0;
  for (const [kernelName, fn] of Object.entries(all)) {
    installedWasmKernels[kernelName] = kernelName in nat || (kernelName in bn && nativeBn) ? "native" : "portable";
    if (tf.getKernel(kernelName, "wasm") !== undefined) tf.unregisterKernel(kernelName, "wasm");
    tf.registerKernel({ kernelName, backendName: "wasm", kernelFunc: fn as unknown as KernelFunc });
  }
  registered = true;
}
