/**
 * Categorical cross-entropy over softmax probabilities with label smoothing and per-sample
 * weights. Reduction is Keras' "sum over batch size": Σ w_i·ℓ_i / n, so class weights change the
 * relative pull of classes without changing the scale of an unweighted batch. The one
 * cross-entropy of ferc: the training step (weighted, smoothed), validation and evaluation
 * (unweighted, one-hot) and the backend's kernel census all compute it here.
 */
import * as tf from "@tensorflow/tfjs-core";

/** Keras' clip before the log, so a saturated softmax gives a finite loss. */
const EPSILON = 1e-7;

/** Smoothed targets y' = y·(1−ε) + ε/k, computed on the host (cheap, batch × k). */
export function smoothOneHot(labels: Uint8Array | number[], k: number, smoothing: number): Float32Array {
  const out = new Float32Array(labels.length * k).fill(smoothing / k);
  for (let i = 0; i < labels.length; i++) out[i * k + labels[i]!] = 1 - smoothing + smoothing / k;
  return out;
}

/** mixup targets (src/train/mixup.ts): λ·y'(labels) + (1 − λ)·y'(partner), each smoothed. */
export function mixedOneHot(labels: Uint8Array, partner: Uint8Array, lambda: number, k: number, smoothing: number): Float32Array {
  const a = smoothOneHot(labels, k, smoothing), b = smoothOneHot(partner.subarray(0, labels.length), k, smoothing);
  return a.map((v, i) => lambda * v + (1 - lambda) * b[i]!);
}

/** Per-row loss −Σ y'·log(clip(p)), shape [n]. */
export function perSampleCrossEntropy(y: tf.Tensor, p: tf.Tensor): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(y, tf.log(tf.clipByValue(p, EPSILON, 1 - EPSILON))), -1)) as tf.Tensor1D;
}

/** Weighted mean loss; `w` of shape [n] or null for unweighted. */
export function weightedCrossEntropy(y: tf.Tensor, p: tf.Tensor, w: tf.Tensor1D | null): tf.Scalar {
  const per = perSampleCrossEntropy(y, p);
  const n = p.shape[0] ?? 1;
  return tf.div(tf.sum(w ? tf.mul(per, w) : per), n) as tf.Scalar;
}
