/**
 * Loader for ferc's optional native kernels (native/, built by `npm install` when g++ and Node's
 * headers are present). Absent, unloadable, or disabled with FERC_NATIVE=0, it is null and
 * callers use the portable wasm kernels.
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

export interface NativeKernels {
  /**
   * shape: Int32Array [n, h, w, c, fh, fw, o, oh, ow, sh, sw, padTop, padLeft, threads];
   * optional fused epilogue out = relu?(conv + bias).
   */
  conv2d(x: Float32Array, filter: Float32Array, out: Float32Array, shape: Int32Array, bias?: Float32Array | null, relu?: boolean): void;
  /** dz = dy·[y > 0], dbias = Σ_rows dz; dims: Int32Array [rows, channels, threads]. */
  reluBiasGrad(dy: Float32Array, y: Float32Array, dz: Float32Array, dbias: Float32Array, dims: Int32Array): void;
  conv2dFilterGrad(x: Float32Array, dy: Float32Array, dw: Float32Array, shape: Int32Array): void;
  /** dx of the forward convolution `shape` describes (any stride); input channels a multiple of 8. */
  conv2dInputGrad(dy: Float32Array, filter: Float32Array, dx: Float32Array, shape: Int32Array): void;
  /** y = x·mask/(1−rate), mask from the counter hash of native/dropout.h; dims [n, seed bits, threads]. */
  dropout(x: Float32Array, y: Float32Array, dims: Int32Array, rate: number): void;
  /** out = a + b | a·b | relu(a) | step(a); dims Int32Array [op 0..3, n, threads]. */
  elementwise(a: Float32Array, b: Float32Array, out: Float32Array, dims: Int32Array): void;
  /** "AVX-512" or "AVX2": the convolution kernels this CPU runs (FERC_ISA=avx2 forces AVX2). */
  isa(): string;
  /** Threads a call with threads = 0 uses (the machine's hardware concurrency). */
  defaultThreads(): number;
  /**
   * Forward max-pool when the windows tile the input (stride = size, no padding, channels a
   * multiple of 8); returns false, writing nothing, otherwise. Shape as maxPoolGrad's.
   */
  maxPool(x: Float32Array, y: Float32Array, shape: Int32Array): boolean;
  /** shape: Int32Array [n, h, w, c, oh, ow, fh, fw, sh, sw, padTop, padLeft, threads]. */
  maxPoolGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, shape: Int32Array): void;
  /** y = x·scale[c] + shift[c]; dims: Int32Array [rows, channels, threads]. */
  channelAffine(x: Float32Array, scale: Float32Array, shift: Float32Array, y: Float32Array, dims: Int32Array): void;
  /** dims: Int32Array [rows, channels, threads]. */
  batchNormForward(
    x: Float32Array, gamma: Float32Array, beta: Float32Array,
    y: Float32Array, mean: Float32Array, variance: Float32Array, dims: Int32Array, eps: number,
  ): void;
  batchNormBackward(
    x: Float32Array, dy: Float32Array, gamma: Float32Array, mean: Float32Array, variance: Float32Array,
    dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array, dims: Int32Array, eps: number,
  ): void;
}

const addonPath = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "native", "build", "ferc_native.node");

let cached: NativeKernels | null | undefined;
let loadError = "";

export function nativeKernels(): NativeKernels | null {
  if (cached !== undefined) return cached;
  if (process.env["FERC_NATIVE"] === "0") {
    loadError = "disabled by FERC_NATIVE=0";
    return (cached = null);
  }
  try {
    cached = createRequire(import.meta.url)(addonPath) as NativeKernels;
  } catch (e) {
    loadError = e instanceof Error ? e.message.split("\n")[0]! : String(e);
    cached = null;
  }
  return cached;
}

/** Why the native kernels are not in use ("" when they are). */
export function nativeStatus(): string {
  return nativeKernels() === null ? loadError : "";
}

/** Threads for native kernels: FERC_THREADS, else 0 = the addon's hardware_concurrency(). */
export function nativeThreads(): number {
  const t = Number(process.env["FERC_THREADS"] ?? 0);
  return Number.isInteger(t) && t > 0 ? t : 0;
}
