/**
 * BatchMatMul for wasm. The stock kernel uses XNNPACK only when neither operand is transposed and
 * the batch is 1, else a naive loop ~10× slower; dense-layer gradients always transpose one side.
 * Transposing the operand explicitly (a cheap copy) and then running the stock untransposed path
 * is much faster. The transposed copies get fresh data ids, so XNNPACK's operator cache (keyed by
 * B's id) never sees stale shapes.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { KernelArgs } from "./kernelUtil.js";
import { free, run, stockKernel } from "./kernelUtil.js";

function swapLast(backend: KernelArgs["backend"], t: tf.TensorInfo): tf.TensorInfo {
  const r = t.shape.length;
  const perm = [...Array(r).keys()];
  perm[r - 1] = r - 2;
  perm[r - 2] = r - 1;
  return run(backend, "Transpose", { x: t }, { perm });
}

export function batchMatMul(args: KernelArgs): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
  if ((!transposeA && !transposeB) || a.dtype !== "float32" || b.dtype !== "float32") {
    return stockKernel("BatchMatMul")(args);
  }
  const temps: tf.TensorInfo[] = [];
  const a2 = transposeA ? swapLast(backend, a) : a;
  const b2 = transposeB ? swapLast(backend, b) : b;
  if (transposeA) temps.push(a2);
  if (transposeB) temps.push(b2);
  const out = stockKernel("BatchMatMul")({ inputs: { a: a2, b: b2 }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
  free(backend, ...temps);
  return out;
}
