/**
 * Assembling one training batch on the host: the images of this epoch's order (with their teacher
 * targets when distilling), then (in this order, all drawing from the augmentation stream so a
 * resume repeats them) augmentation, the model's crop window and mixup. The buffers are allocated once per training run and reused.
 */
import type { Rng } from "../util/rng.js";
import type { ArraySplit, ImageShape } from "./evaluate.js";
import { cropBatch } from "./crop.js";
import { mixBatch, type Mix } from "./mixup.js";

/** Augments `n` preprocessed images from `src` into `dst` (same layout), drawing from `rng`. */
export type AugmentFn = (src: Float32Array, dst: Float32Array, n: number, rng: Rng) => void;

export interface BatchPlan {
  readonly train: ArraySplit;
  /** The stored images' shape. */
  readonly shape: ImageShape;
  readonly batchSize: number;
  readonly augment?: AugmentFn;
  /** The model's HxW window (random per image with `augment`, else the centre). */
  readonly crop?: readonly [number, number];
  /** mixup α, applied with `augment` only. */
  readonly mixup?: number;
  /** The augmentation stream. */
  readonly rng: Rng;
  /** Distillation: the teacher's softened targets, `k` per train image, in the split's order. */
  readonly soft?: { readonly targets: Float32Array; readonly k: number };
}

export interface Batch {
  /** The model's input for the batch's `labels.length` images (views of reused buffers). */
  readonly xs: Float32Array;
  readonly labels: Uint8Array;
  readonly mix?: Mix;
  /** Distillation: the images' teacher targets (mixed as the images are), `k` per image. */
  readonly soft?: Float32Array;
}

/** Builds batch `m` images starting at `start` of `order`; the result is valid until the next call. */
export type BatchAssembler = (order: Uint32Array, start: number, m: number) => Batch;

/** The shape the model sees: the crop window when there is one, else the stored images. */
export function modelInputShape(shape: ImageShape, crop: readonly [number, number] | undefined): ImageShape {
  return crop ? [crop[0], crop[1], shape[2]] : shape;
}

export function makeBatchAssembler(p: BatchPlan): BatchAssembler {
  const [h, w, c] = p.shape;
  const size = h * w * c;
  const { augment, crop, rng } = p;
  const modelShape = modelInputShape(p.shape, crop);
  const modelSize = modelShape[0] * modelShape[1] * modelShape[2];
  const mixAlpha = augment && p.mixup ? p.mixup : 0;
  const xBatch = new Float32Array(p.batchSize * size);
  const xAug = augment ? new Float32Array(p.batchSize * size) : null;
  const xCrop = crop ? new Float32Array(p.batchSize * modelSize) : null;
  const xMix = mixAlpha > 0 ? new Float32Array(p.batchSize * modelSize) : null;
  const yBatch = new Uint8Array(p.batchSize);
  const k = p.soft?.k ?? 0;
  const softBatch = p.soft ? new Float32Array(p.batchSize * k) : null;
  const softMix = p.soft && mixAlpha > 0 ? new Float32Array(p.batchSize * k) : null;
  return (order, start, m) => {
    for (let i = 0; i < m; i++) {
      const src = order[start + i]!;
      xBatch.set(p.train.x.subarray(src * size, (src + 1) * size), i * size);
      yBatch[i] = p.train.labels[src]!;
      if (softBatch) softBatch.set(p.soft!.targets.subarray(src * k, (src + 1) * k), i * k);
    }
    const soft = softBatch?.subarray(0, m * k);
    let xs = xBatch;
    if (augment && xAug) {
      augment(xBatch.subarray(0, m * size), xAug.subarray(0, m * size), m, rng);
      xs = xAug;
    }
    if (crop && xCrop) {
      cropBatch(xs, xCrop, m, p.shape, crop, augment ? rng : undefined);
      xs = xCrop;
    }
    const labels = yBatch.subarray(0, m);
    if (!xMix) return { xs, labels, ...(soft ? { soft } : {}) };
    const mix = mixBatch(xs, xMix, labels, m, modelSize, mixAlpha, rng);
    if (!soft || !softMix) return { xs: xMix, labels, mix };
    // The targets mixed as the images were: λ·t_i + (1 − λ)·t_partner.
    for (let i = 0; i < m; i++) {
      const j = mix.partnerIndex[i]!;
      for (let c = 0; c < k; c++) softMix[i * k + c] = mix.lambda * soft[i * k + c]! + (1 - mix.lambda) * soft[j * k + c]!;
    }
    return { xs: xMix, labels, mix, soft: softMix.subarray(0, m * k) };
  };
}
