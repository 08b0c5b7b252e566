/**
 * Tile for wasm as block copies. The stock kernel walks every output element (~65 ms to tile a
 * channel vector over a [128,46,46,16] activation, which batch-norm's gradient does); copying
 * whole rows and doubling replicated blocks with copyWithin runs at memcpy speed.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { KernelArgs } from "./kernelUtil.js";
import { f32, stockKernel } from "./kernelUtil.js";

export function tile(args: KernelArgs): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs as { x: tf.TensorInfo };
  const reps = (attrs as unknown as tf.TileAttrs).reps;
  if (x.dtype !== "float32" && x.dtype !== "int32") return stockKernel("Tile")(args);
  const shape = x.shape;
  const rank = shape.length;
  const outShape = shape.map((d, i) => d * (reps[i] ?? 1));
  const out = backend.makeOutput(outShape, x.dtype);
  // Same-width views suffice: the copy never interprets values.
  const src = f32(backend, x);
  const dst = f32(backend, out);
  if (rank === 0 || dst.length === 0) {
    if (rank === 0) dst[0] = src[0]!;
    return out;
  }
  // inStride[a] / outBlock[a]: elements under one index of axis a, in input / output.
  const inStride = new Array<number>(rank);
  const outBlock = new Array<number>(rank);
  inStride[rank - 1] = 1;
  outBlock[rank - 1] = 1;
  for (let a = rank - 2; a >= 0; a--) {
    inStride[a] = inStride[a + 1]! * shape[a + 1]!;
    outBlock[a] = outBlock[a + 1]! * outShape[a + 1]!;
  }
  /** Replicate dst[base, base+len) until it fills `total` elements. */
  const replicate = (base: number, len: number, total: number) => {
    let filled = len;
    while (filled < total) {
      const n = Math.min(filled, total - filled);
      dst.copyWithin(base + filled, base, base + n);
      filled += n;
    }
  };
  const fill = (axis: number, s: number, d: number): void => {
    const n = shape[axis]!;
    if (axis === rank - 1) {
      dst.set(src.subarray(s, s + n), d);
    } else {
      for (let i = 0; i < n; i++) fill(axis + 1, s + i * inStride[axis]!, d + i * outBlock[axis]!);
    }
    const block = n * outBlock[axis]!;
    replicate(d, block, block * (reps[axis] ?? 1));
  };
  fill(0, 0, 0);
  return out;
}
