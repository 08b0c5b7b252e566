/**
 * Inference-mode evaluation of a model on one split: batches through `model.apply(x,
 * {training: false})` (dropout off, batch-norm moving statistics), plain unweighted,
 * unsmoothed cross-entropy, and the confusion-matrix metrics.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { EvalResult } from "./events.js";
import { perSampleCrossEntropy, smoothOneHot } from "./loss.js";
import { accuracyOf, addToConfusion, emptyConfusion, macroF1, perClassMetrics } from "./metrics.js";
import { inferenceModel } from "../compile/fold.js";
import { predictViews, type Crop, type Tta } from "../face/views.js";

// The views (windows and mirrors) are defined once, for eval, predict and the serve page.
export { cropOrigins, type Crop, type Tta } from "../face/views.js";

/** Class probabilities of a batch under `tta`, on the model's windows of it. */
function predictBatch(model: LayersModel, xb: tf.Tensor4D, tta: Tta, crop: Crop): tf.Tensor {
  return predictViews(tf, (v) => model.apply(v, { training: false }) as tf.Tensor, xb, crop, tta);
}

/** Preprocessed images in NHWC order with their labels. */
export interface ArraySplit {
  readonly x: Float32Array;
  readonly labels: Uint8Array;
  readonly n: number;
}

export type ImageShape = readonly [number, number, number];

/** Softmax outputs for `n` images, batched to bound memory. Reads asynchronously (any backend). */
export async function predictProbabilities(trained: LayersModel, x: Float32Array, n: number, shape: ImageShape, batch = 256, tta: Tta = "none", crop?: Crop): Promise<Float32Array> {
  // Batch norm folded into the convolutions before it, with the current weights.
  const model = inferenceModel(trained);
  const size = shape[0] * shape[1] * shape[2];
  let out: Float32Array | null = null;
  for (let start = 0; start < n; start += batch) {
    const m = Math.min(batch, n - start);
    const probs = tf.tidy(() => {
      const xb = tf.tensor4d(x.subarray(start * size, (start + m) * size), [m, shape[0], shape[1], shape[2]]);
      return predictBatch(model, xb, tta, crop);
    });
    const k = probs.shape[1] ?? 1;
    const data = await probs.data<"float32">();
    probs.dispose();
    out ??= new Float32Array(n * k);
    out.set(data, start * k);
  }
  return out ?? new Float32Array(0);
}

export async function evaluateModel(
  trained: LayersModel,
  split: ArraySplit,
  shape: ImageShape,
  classes: readonly string[],
  name = "test",
  batch = 256,
  tta: Tta = "none",
  crop?: Crop,
): Promise<EvalResult> {
  const model = inferenceModel(trained);
  const k = classes.length;
  const size = shape[0] * shape[1] * shape[2];
  const confusion = emptyConfusion(k);
  let lossSum = 0;
  for (let start = 0; start < split.n; start += batch) {
    const m = Math.min(batch, split.n - start);
    const labels = split.labels.subarray(start, start + m);
    const [loss, pred] = tf.tidy(() => {
      const xb = tf.tensor4d(split.x.subarray(start * size, (start + m) * size), [m, shape[0], shape[1], shape[2]]);
      const p = predictBatch(model, xb, tta, crop);
      const y = tf.tensor2d(smoothOneHot(labels, k, 0), [m, k]);
      return [tf.sum(perSampleCrossEntropy(y, p)), tf.argMax(p, -1)] as const;
    });
    const [lossValue, predicted] = await Promise.all([loss.data(), pred.data()]);
    loss.dispose();
    pred.dispose();
    lossSum += lossValue[0]!;
    addToConfusion(confusion, labels, predicted);
  }
  const perClass = perClassMetrics(confusion, classes);
  return {
    split: name,
    n: split.n,
    loss: split.n > 0 ? lossSum / split.n : Number.NaN,
    acc: accuracyOf(confusion),
    perClass,
    macroF1: macroF1(perClass),
    confusion,
    classes: [...classes],
    ...(tta !== "none" ? { tta } : {}),
  };
}
