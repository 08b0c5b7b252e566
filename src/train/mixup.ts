/**
 * mixup (Zhang et al. 2018), `augment { mixup ALPHA }`: each training batch becomes
 * λ·x + (1 − λ)·x[perm] with targets λ·y + (1 − λ)·y[perm], λ ~ Beta(α, α) drawn once per batch
 * from the augmentation stream (so resume repeats it). λ is folded to max(λ, 1 − λ), so each
 * image's own label stays the dominant one (what running accuracy counts).
 */
import type { Rng } from "../util/rng.js";

/** Gamma(shape, 1) by Marsaglia-Tsang; shape < 1 through the U^(1/shape) boost. */
function gamma(shape: number, rng: Rng): number {
  if (shape < 1) return gamma(shape + 1, rng) * Math.pow(1 - rng.next(), 1 / shape);
  const d = shape - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** λ ~ Beta(α, α), folded to [0.5, 1]. */
export function mixupLambda(alpha: number, rng: Rng): number {
  const a = gamma(alpha, rng), b = gamma(alpha, rng);
  const l = a + b > 0 ? a / (a + b) : 0.5;
  return Math.max(l, 1 - l);
}

export interface Mix {
  /** Each image's partner label (the permuted batch's). */
  readonly partner: Uint8Array;
  /** Each image's partner's place in the batch (for targets other than labels: distillation's). */
  readonly partnerIndex: Uint32Array;
  readonly lambda: number;
}

/**
 * Mix the first `n` images of `src` (each `size` values) into `dst` with a random partner each,
 * and return the partners' labels and λ for the step's targets.
 */
export function mixBatch(src: Float32Array, dst: Float32Array, labels: Uint8Array, n: number, size: number, alpha: number, rng: Rng): Mix {
  const lambda = mixupLambda(alpha, rng);
  const perm = rng.shuffle(Uint32Array.from({ length: n }, (_, i) => i));
  const partner = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const j = perm[i]!;
    partner[i] = labels[j]!;
    const a = i * size, b = j * size;
    for (let t = 0; t < size; t++) dst[a + t] = lambda * src[a + t]! + (1 - lambda) * src[b + t]!;
  }
  return { partner, partnerIndex: perm, lambda };
}
