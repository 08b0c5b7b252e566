/**
 * Categorical cross-entropy over softmax probabilities with label smoothing and per-sample
 * weights. Reduction is Keras' "sum over batch size": Σ w_i·ℓ_i / n, so class weights change the
 * relative pull of classes without changing the scale of an unweighted batch. The one
 * cross-entropy of ferc: the training step (weighted, smoothed), validation and evaluation
 * (unweighted, one-hot) and the backend's kernel census all compute it here. Distillation's loss
 * (`train { distill ... }`) adds a softened teacher term to it.
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

/**
 * Knowledge distillation (Hinton et al. 2015): A·T²·KL(q ‖ p_T) + (1 − A)·CE(y, p), the KL term
 * the batch mean of Σ q·(log q − log p_T). `q` holds the teacher's softened targets (src/distill/
 * soft.ts, rows summing to 1); p_T = softmax(log p / T) is the student's softmax softened the same
 * way (log p stands for its logits: softmax(logits) = p, and the shift log Σ exp(logits) cancels
 * in the softmax). T² keeps the soft term's gradients on the scale of the hard one as T grows.
 * The cross-entropy term is the plain one above, so label smoothing and class weights apply to it.
 */
export function distillationLoss(q: tf.Tensor, y: tf.Tensor, p: tf.Tensor, w: tf.Tensor1D | null, temperature: number, weight: number): tf.Scalar {
  const logStudent = tf.logSoftmax(tf.div(tf.log(tf.clipByValue(p, EPSILON, 1)), temperature));
  // q·log q is 0 where q is 0: the clip only keeps log finite there.
  const kl = tf.sum(tf.mul(q, tf.sub(tf.log(tf.clipByValue(q, EPSILON * EPSILON, 1)), logStudent)), -1);
  const soft = tf.mul(tf.mean(kl), weight * temperature * temperature);
  if (weight === 1) return soft as tf.Scalar;
  return tf.add(soft, tf.mul(weightedCrossEntropy(y, p, w), 1 - weight)) as tf.Scalar;
}
