/**
 * Preprocessing: uint8 pixels -> Float32 model input, following `PreprocessIR.steps` in order:
 *   scale                  X / 255
 *   standardize per-image  (X - mean) / max(std, 1/sqrt(N)) over the image's N values; the floor is
 *                          TensorFlow's per_image_standardization rule, so blank images map to 0
 *                          instead of dividing by zero
 *   standardize dataset    (X - mean_c) / max(std_c, 1e-6) per channel, with mean/std measured on
 *                          the TRAIN split only (after the steps before it), never on val/test
 * `fitPreprocess` measures what the dataset steps need and returns plain JSON (`PreprocessStats`)
 * that a run record stores, so predict/eval apply exactly the same transform with `applyPreprocess`.
 */
import type { PreprocessIR, PreprocessStepIR } from "../ir.js";
import type { Split } from "./types.js";

export const DATASET_STD_FLOOR = 1e-6;

export interface ChannelStats {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

export interface PreprocessStats {
  readonly version: 1;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly steps: readonly PreprocessStepIR[];
  /** One entry per step: the train statistics for `standardize dataset`, null for the others. */
  readonly fitted: readonly (ChannelStats | null)[];
}

/** Apply steps [0, upto) to one image held in `img` (in place). */
function applySteps(img: Float32Array, channels: number, steps: readonly PreprocessStepIR[], fitted: readonly (ChannelStats | null)[], upto: number): void {
  const n = img.length;
  for (let s = 0; s < upto; s++) {
    const step = steps[s]!;
    if (step.op === "scale") {
      for (let j = 0; j < n; j++) img[j]! /= 255;
    } else if (step.mode === "per-image") {
      let sum = 0, sq = 0;
      for (let j = 0; j < n; j++) {
        const v = img[j]!;
        sum += v;
        sq += v * v;
      }
      const mean = sum / n;
      const std = Math.max(Math.sqrt(Math.max(0, sq / n - mean * mean)), 1 / Math.sqrt(n));
      for (let j = 0; j < n; j++) img[j] = (img[j]! - mean) / std;
    } else {
      const st = fitted[s];
      if (st == null) throw new Error(`preprocess step ${s + 1} (standardize dataset) has no fitted statistics`);
      for (let j = 0; j < n; j++) {
        const ch = j % channels;
        img[j] = (img[j]! - st.mean[ch]!) / st.std[ch]!;
      }
    }
  }
}

/** Measure the train statistics each `standardize dataset` step needs. */
export function fitPreprocess(train: Split, ir: PreprocessIR): PreprocessStats {
  const { height, width, channels } = train;
  const size = height * width * channels;
  const fitted: (ChannelStats | null)[] = [];
  const img = new Float32Array(size);
  ir.steps.forEach((step, s) => {
    if (!(step.op === "standardize" && step.mode === "dataset")) {
      fitted.push(null);
      return;
    }
    if (train.n === 0) throw new Error("cannot fit dataset statistics on an empty train split");
    const sum = new Float64Array(channels), sq = new Float64Array(channels);
    for (let i = 0; i < train.n; i++) {
      for (let j = 0; j < size; j++) img[j] = train.pixels[i * size + j]!;
      applySteps(img, channels, ir.steps, fitted, s);
      for (let j = 0; j < size; j++) {
        const v = img[j]!;
        sum[j % channels]! += v;
        sq[j % channels]! += v * v;
      }
    }
    const count = train.n * height * width;
    const mean: number[] = [], std: number[] = [];
    for (let ch = 0; ch < channels; ch++) {
      const m = sum[ch]! / count;
      mean.push(m);
      std.push(Math.max(Math.sqrt(Math.max(0, sq[ch]! / count - m * m)), DATASET_STD_FLOOR));
    }
    fitted.push({ mean, std });
  });
  return { version: 1, height, width, channels, steps: [...ir.steps], fitted };
}

/** Turn n images of raw bytes into model input. `out` (optional) must hold pixels.length floats. */
export function applyPreprocess(pixels: Uint8Array, stats: PreprocessStats, out?: Float32Array): Float32Array {
  const size = stats.height * stats.width * stats.channels;
  if (pixels.length % size !== 0) throw new RangeError(`pixel buffer of ${pixels.length} values is not a whole number of ${stats.height}x${stats.width}x${stats.channels} images`);
  const result = out ?? new Float32Array(pixels.length);
  if (result.length < pixels.length) throw new RangeError(`output buffer holds ${result.length} values, need ${pixels.length}`);
  const n = pixels.length / size;
  for (let i = 0; i < n; i++) {
    const img = result.subarray(i * size, (i + 1) * size);
    for (let j = 0; j < size; j++) img[j] = pixels[i * size + j]!;
    applySteps(img, stats.channels, stats.steps, stats.fitted, stats.steps.length);
  }
  return result;
}
