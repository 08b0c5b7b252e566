/**
 * Soft targets (Hinton et al. 2015): a distribution softened by a temperature, T > 1 spreading its
 * mass over the classes it ranks below the top one, which is what a student learns from a
 * teacher beyond the label. For probabilities p (an ensemble's average has no logits of its own,
 * so log p stands for them): p_T = softmax(log p / T) = p^(1/T) / Σ p^(1/T). T = 1 leaves p as it
 * is; the order of the classes never changes. The student's side of the same softening is in the
 * loss (src/train/loss.ts `distillationLoss`).
 */

/**
 * A teacher's soft targets for a train split, as the run that distils from them receives them
 * (targets.ts computes or reads them from the cache). Declared here, with no imports, so the run
 * that takes them need not import what opens the teacher's own runs.
 */
export interface TeacherTargets {
  /** [n * k] probabilities, rows in train-split order. */
  readonly probs: Float32Array;
  readonly teacherHash: string;
  readonly kind: "ensemble" | "run";
  readonly members: number;
  /** The cache key (sha256 hex) and whether the targets came from the cache. */
  readonly key: string;
  readonly cached: boolean;
}

/** Below this a probability counts as this (log 0 is −∞; a saturated teacher still has a finite logit). */
const FLOOR = 1e-12;

/** Rows of `k` probabilities softened by `temperature`: each row softmax(log p / T), summing to 1. */
export function temperedTargets(probs: Float32Array, k: number, temperature: number): Float32Array {
  if (!(temperature > 0)) throw new Error(`temperature must be > 0, got ${temperature}`);
  if (probs.length % k !== 0) throw new Error(`${probs.length} probabilities are not rows of ${k}`);
  const out = new Float32Array(probs.length);
  const logits = new Float64Array(k);
  for (let r = 0; r < probs.length; r += k) {
    let max = -Infinity;
    for (let j = 0; j < k; j++) {
      logits[j] = Math.log(Math.max(probs[r + j]!, FLOOR)) / temperature;
      if (logits[j]! > max) max = logits[j]!;
    }
    let sum = 0;
    for (let j = 0; j < k; j++) sum += logits[j] = Math.exp(logits[j]! - max);
    for (let j = 0; j < k; j++) out[r + j] = logits[j]! / sum;
  }
  return out;
}
