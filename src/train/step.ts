/**
 * One optimisation step on a host batch: forward in training mode (dropout on, batch-norm batch
 * statistics + moving-average updates), weighted label-smoothed cross-entropy (with a teacher's
 * soft term when distilling), gradient update of
 * the trainable weights, then decoupled weight decay on kernels. Returns the batch loss and the
 * number of correct predictions (for running accuracy) still on the device: the caller reads them
 * once the next step is queued, so a GPU is never left idle waiting for the host between steps
 * (and no backend needs a synchronous read).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { Rng } from "../util/rng.js";
import { distillationLoss, mixedOneHot, smoothOneHot, weightedCrossEntropy } from "./loss.js";
import { withSeededRandom } from "./seeded.js";

export interface StepConfig {
  readonly shape: readonly [number, number, number];
  readonly classes: number;
  readonly labelSmoothing: number;
  readonly weightDecay: number;
  /** Per-class loss weights, or null. */
  readonly classWeights: readonly number[] | null;
  /** Feeds tfjs' Math.random (dropout masks) during the step. */
  readonly dropoutRng: Rng;
  /**
   * Distillation: the loss's temperature and soft weight (src/train/loss.ts distillationLoss), and
   * with per-view targets the teacher, which gives each batch's softened targets on the device
   * (src/distill/viewTeacher.ts); without it every batch brings its cached targets.
   */
  readonly distill?: { readonly temperature: number; readonly weight: number; readonly teacher?: BatchTeacher };
}

/** Softened teacher targets for a batch of model inputs: a new [m, k] tensor the step disposes. */
export type BatchTeacher = (x: tf.Tensor4D) => tf.Tensor2D;

/** mixup targets (src/train/mixup.ts): λ·y(labels) + (1 − λ)·y(partner). */
export interface MixTargets {
  readonly partner: Uint8Array;
  readonly lambda: number;
}

/** A step's batch loss and count of correct predictions, as host numbers. */
export interface StepOutcome {
  readonly loss: number;
  readonly correct: number;
}

/** A queued step's outcome, still on the device. */
export interface PendingStep {
  /** Waits for the device, frees its copy and returns the outcome; call once. */
  read(): Promise<StepOutcome>;
}

/** `soft`: the batch's teacher targets when distilling (k per image). */
export type BatchStep = (x: Float32Array, labels: Uint8Array, lr: number, mix?: MixTargets, soft?: Float32Array) => PendingStep;

/** One device read for both numbers: [loss, correct]. */
function pendingOutcome(both: tf.Tensor1D): PendingStep {
  return {
    async read() {
      try {
        const [loss, correct] = await both.data();
        return { loss: loss!, correct: correct! };
      } finally {
        both.dispose();
      }
    },
  };
}

/** Decay applies to kernels only (not biases, BN scale/offset), as in AdamW practice. */
function isKernel(name: string): boolean {
  return /kernel$/.test(name);
}

export function makeBatchStep(model: LayersModel, optimizer: tf.Optimizer, cfg: StepConfig): BatchStep {
  const vars = model.trainableWeights.map((v) => v.read() as tf.Variable);
  const kernels = model.trainableWeights.filter((v) => isKernel(v.originalName)).map((v) => v.read() as tf.Variable);
  const [h, w, c] = cfg.shape;
  const k = cfg.classes;
  const distill = cfg.distill;
  return (xs, labels, lr, mix, soft) => {
    // A batch without targets would silently train on the labels alone.
    if (distill && !distill.teacher && !soft) throw new Error("distillation: a batch came without its teacher targets");
    const m = labels.length;
    const sampleWeights = cfg.classWeights ? Float32Array.from(labels, (l) => cfg.classWeights![l] ?? 0) : null;
    let correctT: tf.Scalar | null = null;
    const x = tf.tensor4d(xs.subarray(0, m * h * w * c), [m, h, w, c]);
    // The teacher's targets before the gradient tape: its forward pass is not differentiated.
    const q = distill?.teacher ? distill.teacher(x) : distill && soft ? tf.tensor2d(soft.subarray(0, m * k), [m, k]) : null;
    let lossT: tf.Scalar | null;
    try {
      lossT = withSeededRandom(cfg.dropoutRng, () =>
        optimizer.minimize(
          () => {
            const y = tf.tensor2d(mix ? mixedOneHot(labels, mix.partner, mix.lambda, k, cfg.labelSmoothing) : smoothOneHot(labels, k, cfg.labelSmoothing), [m, k]);
            const sw = sampleWeights ? tf.tensor1d(sampleWeights) : null;
            const p = model.apply(x, { training: true }) as tf.Tensor;
            // Kept out of the gradient tape's tidy so the caller can read it after the step.
            correctT = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(p, -1), tf.tensor1d(labels, "int32")), "float32")) as tf.Scalar);
            return distill && q ? distillationLoss(q, y, p, sw, distill.temperature, distill.weight) : weightedCrossEntropy(y, p, sw);
          },
          true,
          vars,
        ),
      );
    } finally {
      // Made outside the tape's tidy (the teacher's pass must not be taped), so freed here.
      x.dispose();
      q?.dispose();
    }
    if (cfg.weightDecay > 0) {
      // Decoupled (AdamW-style) decay after the gradient step: θ ← θ·(1 − lr·λ).
      const keep = 1 - lr * cfg.weightDecay;
      tf.tidy(() => kernels.forEach((v) => v.assign(tf.mul(v, keep))));
    }
    const ct = correctT as tf.Scalar | null;
    const both = tf.tidy(() => tf.stack([lossT ?? tf.scalar(Number.NaN), ct ?? tf.scalar(0)]) as tf.Tensor1D);
    lossT?.dispose();
    ct?.dispose();
    return pendingOutcome(both);
  };
}
