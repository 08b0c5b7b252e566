/**
 * FercConv2DBiasRelu {x, filter, bias} for wasm: FusedConv2D with relu (ferc's native kernel when
 * the addon loads, else the stock XNNPACK one). See ../fusedConv.ts for the op and its gradient.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { KernelArgs } from "./kernelUtil.js";

export function convBiasRelu(args: KernelArgs): tf.TensorInfo {
  // Looked up per call: FusedConv2D itself may be ferc's override, registered after this one.
  const fused = tf.getKernel("FusedConv2D", "wasm")!.kernelFunc as unknown as (a: KernelArgs) => tf.TensorInfo;
  return fused({
    ...args,
    attrs: { ...args.attrs, dataFormat: "NHWC", dilations: [1, 1], dimRoundingMode: undefined, activation: "relu" } as unknown as tf.NamedAttrMap,
  });
}
