/**
 * Training-mode batch norm as one fused op with its own gradient. tfjs-layers builds it from
 * moments + batchNorm (~30 kernel calls per layer forward and backward, ~40% of a vgg-small step on
 * wasm); the fused op runs FercBatchNormTrain / FercBatchNormTrainGrad instead. It is used only
 * where those kernels are registered for the active backend (wasm with ferc's kernels), and only
 * for the common case (channels-last, scale and center on); otherwise the layer's own code runs.
 *
 * tfjs-layers offers no hook for this, so installFusedBatchNorm wraps BatchNormalization's
 * `call` (once per tfjs-layers module instance). Moving averages are updated exactly as
 * tfjs-layers does: moving -= (moving - batch) * (1 - momentum), with the biased batch variance.
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tflayers from "@tensorflow/tfjs-layers";
import { BN_TRAIN, BN_TRAIN_GRAD } from "./wasm/batchNormTrain.js";

/** Whether the fused kernels exist for the active backend. */
export function fusedBatchNormAvailable(): boolean {
  const b = tf.getBackend();
  return tf.getKernel(BN_TRAIN, b) !== undefined && tf.getKernel(BN_TRAIN_GRAD, b) !== undefined;
}

/**
 * y = batch-normalised x over all axes but the last, with its batch mean and biased variance.
 * Differentiable w.r.t. x, gamma and beta (through the batch statistics).
 */
export function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): { y: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  let stats: tf.Tensor[] = [];
  // customGrad's typing takes variadic (Tensor | GradSaveFunc); the arity here is fixed.
  const forward = (xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const [y, mean, variance] = tf.engine().runKernel(BN_TRAIN, { x: xi, gamma: g, beta: b }, { epsilon }) as tf.Tensor[];
    save([xi, g, mean!, variance!]);
    // customGrad disposes the forward function's other tensors; the caller needs the statistics.
    stats = [tf.keep(mean!), tf.keep(variance!)];
    return {
      value: y!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sg, sm, sv] = saved;
        return tf.engine().runKernel(BN_TRAIN_GRAD, { x: sx!, dy, gamma: sg!, mean: sm!, variance: sv! }, { epsilon }) as tf.Tensor[];
      },
    };
  };
  const op = tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor;
  const y = op(x, gamma, beta);
  return { y, mean: stats[0] as tf.Tensor1D, variance: stats[1] as tf.Tensor1D };
}

/** The BatchNormalization fields the fused path reads (protected in tfjs-layers' typings). */
interface BatchNormFields {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma: tflayers.LayerVariable | null;
  beta: tflayers.LayerVariable | null;
  movingMean: tflayers.LayerVariable;
  movingVariance: tflayers.LayerVariable;
}
type CallFn = (this: BatchNormFields, inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }) => tf.Tensor | tf.Tensor[];

const patched = new WeakSet<object>();

/**
 * Route training-mode BatchNormalization layers of `layers` (default: the tfjs-layers this module
 * imports) through batchNormTrain when the active backend has the fused kernels. Idempotent.
 */
export function installFusedBatchNorm(layers: typeof tflayers = tflayers): void {
  // FERC_FUSED=0 keeps tfjs-layers' own code, FERC_FUSED=bn|conv fuses only that (A/B timing, debugging).
  const only = process.env["FERC_FUSED"];
  if (only !== undefined && only !== "bn") return;
  const proto = Object.getPrototypeOf(layers.layers.batchNormalization({})) as { call: CallFn };
  if (patched.has(proto)) return;
  patched.add(proto);
  const original = proto.call;
  proto.call = function (this: BatchNormFields, inputs, kwargs) {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const training = kwargs?.training ?? false;
    const axis = x === undefined ? -1 : this.axis < 0 ? this.axis + x.rank : this.axis;
    if (!training || x === undefined || x.dtype !== "float32" || axis !== x.rank - 1 || x.rank < 2 ||
        this.gamma === null || this.beta === null || !fusedBatchNormAvailable()) {
      return original.call(this, inputs, kwargs);
    }
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormTrain(x, this.gamma!.read(), this.beta!.read(), this.epsilon);
      const decay = 1 - this.momentum;
      for (const [v, batch] of [[this.movingMean, mean], [this.movingVariance, variance]] as const) {
        const orig = v.read();
        v.write(tf.sub(orig, tf.mul(tf.sub(orig, batch), decay)));
      }
      tf.dispose([mean, variance]);
      return y;
    });
  };
}
