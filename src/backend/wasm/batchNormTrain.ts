/**
 * Kernels for ferc's fused training-mode batch norm on wasm (see ../fusedBatchNorm.ts):
 * FercBatchNormTrain {x, gamma, beta} → [y, mean, variance] and
 * FercBatchNormTrainGrad {x, dy, gamma, mean, variance} → [dx, dgamma, dbeta], over the last axis.
 * Two passes over the activation each way instead of ~30 stock kernel calls per layer. Native
 * AVX2 when the addon loads, otherwise plain loops over the wasm heap.
 */
import * as tf from "@tensorflow/tfjs-core";
import { util } from "@tensorflow/tfjs-core";
import type { KernelArgs, WasmKernel } from "./kernelUtil.js";
import { f32 } from "./kernelUtil.js";
import { nativeKernels, nativeThreads, type NativeKernels } from "../native.js";

export const BN_TRAIN = "FercBatchNormTrain";
export const BN_TRAIN_GRAD = "FercBatchNormTrainGrad";

function rowsCols(x: tf.TensorInfo): [number, number] {
  const c = x.shape[x.shape.length - 1] ?? 1;
  return [util.sizeFromShape(x.shape) / c, c];
}

/** Portable forward: per-channel sums in float64, then one affine pass. */
function forwardJs(m: number, c: number, x: Float32Array, g: Float32Array, b: Float32Array, eps: number, y: Float32Array, mean: Float32Array, variance: Float32Array): void {
  const s = new Float64Array(c);
  const ss = new Float64Array(c);
  for (let i = 0, p = 0; i < m; i++) {
    for (let j = 0; j < c; j++, p++) {
      const v = x[p]!;
      s[j] += v;
      ss[j] += v * v;
    }
  }
  const scale = new Float32Array(c);
  const shift = new Float32Array(c);
  for (let j = 0; j < c; j++) {
    const mu = s[j]! / m;
    const v = Math.max(0, ss[j]! / m - mu * mu);
    mean[j] = mu;
    variance[j] = v;
    const inv = 1 / Math.sqrt(v + eps);
    scale[j] = inv * g[j]!;
    shift[j] = b[j]! - mu * inv * g[j]!;
  }
  for (let i = 0, p = 0; i < m; i++) for (let j = 0; j < c; j++, p++) y[p] = x[p]! * scale[j]! + shift[j]!;
}

function backwardJs(m: number, c: number, x: Float32Array, dy: Float32Array, g: Float32Array, mean: Float32Array, variance: Float32Array, eps: number, dx: Float32Array, dg: Float32Array, db: Float32Array): void {
  const s = new Float64Array(c);
  const sx = new Float64Array(c);
  for (let i = 0, p = 0; i < m; i++) {
    for (let j = 0; j < c; j++, p++) {
      s[j] += dy[p]!;
      sx[j] += dy[p]! * x[p]!;
    }
  }
  const k = new Float32Array(c);
  const a = new Float32Array(c);
  const b = new Float32Array(c);
  for (let j = 0; j < c; j++) {
    const inv = 1 / Math.sqrt(variance[j]! + eps);
    const dgj = inv * (sx[j]! - mean[j]! * s[j]!);
    dg[j] = dgj;
    db[j] = s[j]!;
    const gi = g[j]! * inv;
    k[j] = gi;
    a[j] = (-gi / m) * dgj * inv;
    b[j] = (-gi / m) * s[j]! + (gi / m) * dgj * inv * mean[j]!;
  }
  for (let i = 0, p = 0; i < m; i++) for (let j = 0; j < c; j++, p++) dx[p] = k[j]! * dy[p]! + a[j]! * x[p]! + b[j]!;
}

function makeForward(native: NativeKernels | null): WasmKernel {
  return ({ inputs, backend, attrs }: KernelArgs) => {
    const { x, gamma, beta } = inputs as { x: tf.TensorInfo; gamma: tf.TensorInfo; beta: tf.TensorInfo };
    const eps = attrs["epsilon"] as number;
    const [m, c] = rowsCols(x);
    const y = backend.makeOutput(x.shape, "float32");
    const mean = backend.makeOutput([c], "float32");
    const variance = backend.makeOutput([c], "float32");
    const v = [x, gamma, beta, y, mean, variance].map((t) => f32(backend, t)) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    if (native) native.batchNormForward(...v, Int32Array.from([m, c, nativeThreads()]), eps);
    else forwardJs(m, c, v[0], v[1], v[2], eps, v[3], v[4], v[5]);
    return [y, mean, variance] as unknown as tf.TensorInfo;
  };
}

function makeBackward(native: NativeKernels | null): WasmKernel {
  return ({ inputs, backend, attrs }: KernelArgs) => {
    const { x, dy, gamma, mean, variance } = inputs as Record<string, tf.TensorInfo>;
    const eps = attrs["epsilon"] as number;
    const [m, c] = rowsCols(x!);
    const dx = backend.makeOutput(x!.shape, "float32");
    const dg = backend.makeOutput([c], "float32");
    const db = backend.makeOutput([c], "float32");
    const v = [x!, dy!, gamma!, mean!, variance!, dx, dg, db].map((t) => f32(backend, t)) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    if (native) native.batchNormBackward(...v, Int32Array.from([m, c, nativeThreads()]), eps);
    else backwardJs(m, c, ...v.slice(0, 5) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array], eps, v[5], v[6], v[7]);
    return [dx, dg, db] as unknown as tf.TensorInfo;
  };
}

/** The two kernels, native when `useNative` and the addon loads. */
export function batchNormTrainKernels(useNative: boolean): Record<string, WasmKernel> {
  const native = useNative ? nativeKernels() : null;
  return { [BN_TRAIN]: makeForward(native), [BN_TRAIN_GRAD]: makeBackward(native) };
}
