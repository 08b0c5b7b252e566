/**
 * One optimisation step of a LayersModel with categorical cross-entropy, outside `model.fit`.
 * ferc's trainer and `bench:train` share this so the benchmark measures what training runs.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { installFusedBatchNorm } from "./fusedBatchNorm.js";
import { installFusedConv2D } from "./fusedConv.js";

export type TrainStep = (x: tf.Tensor, y: tf.Tensor) => number;

/** Keras' clip for probabilities before the log, so a saturated softmax gives a finite loss. */
const EPSILON = 1e-7;

/** Mean over the batch of −Σ y·log(clip(p)); `p` are softmax probabilities, `y` one-hot. */
export function categoricalCrossEntropy(y: tf.Tensor, p: tf.Tensor): tf.Scalar {
  const logp = tf.log(tf.clipByValue(p, EPSILON, 1 - EPSILON));
  // Σ over everything / batch equals mean over batch of the per-row sums, in one reduction.
  return tf.div(tf.neg(tf.sum(tf.mul(y, logp))), p.shape[0] ?? 1) as tf.Scalar;
}

/**
 * `(x, y) => loss`: forward in training mode (dropout on, batch-norm batch statistics and
 * moving-average updates), gradients of the trainable weights only, optimizer update.
 * Blocks until the loss is on the host, so per-step timing is honest.
 */
export function makeTrainStep(model: LayersModel, optimizer: tf.Optimizer): TrainStep {
  // Fused batch norm and conv+bias+relu where the backend has their kernels (wasm with ferc's);
  // elsewhere the layers run their own code.
  installFusedBatchNorm();
  installFusedConv2D();
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return (x, y) => {
    const loss = optimizer.minimize(
      () => categoricalCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor),
      true,
      vars,
    );
    if (loss === null) throw new Error("optimizer.minimize returned no loss");
    const value = loss.dataSync()[0] ?? Number.NaN;
    loss.dispose();
    return value;
  };
}
