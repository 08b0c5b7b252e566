/**
 * Identity and same-dtype Cast for wasm without copying: the stock kernels copy the buffer
 * (~250 calls per training step); tfjs tensors are immutable, so sharing the data id with a
 * reference count, as Reshape and the cpu backend do, is safe.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { KernelArgs } from "./kernelUtil.js";
import { stockKernel } from "./kernelUtil.js";

function share(args: KernelArgs): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export function identity(args: KernelArgs): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  return x.dtype === "string" ? stockKernel("Identity")(args) : share(args);
}

export function cast(args: KernelArgs): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { dtype } = args.attrs as unknown as tf.CastAttrs;
  return dtype === x.dtype && dtype !== "string" ? share(args) : stockKernel("Cast")(args);
}
