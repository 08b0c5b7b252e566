/**
 * Training-mode dropout as one op (FercDropout) with a mask regenerated in the backward pass
 * (FercDropoutGrad), where the active backend has the kernels (wasm with ferc's). The mask seed is
 * drawn from Math.random(), which the trainer points at its seeded dropout stream for the step
 * (train/seeded.ts), so masks repeat run to run and after a resume. installFusedDropout wraps
 * tfjs-layers' Dropout `call` (no hook exists) for the common case (no noise shape); otherwise,
 * and on other backends, the layer's own code runs.
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tflayers from "@tensorflow/tfjs-layers";
import { DROPOUT, DROPOUT_GRAD, type DropoutAttrs } from "./wasm/dropout.js";

export function fusedDropoutAvailable(): boolean {
  const b = tf.getBackend();
  return tf.getKernel(DROPOUT, b) !== undefined && tf.getKernel(DROPOUT_GRAD, b) !== undefined;
}

let gradientRegistered = false;
function registerGradientOnce(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: DROPOUT,
    gradFunc: (dy, _saved, attrs) => ({
      x: () => tf.engine().runKernel(DROPOUT_GRAD, { dy: dy as tf.Tensor }, attrs) as tf.Tensor,
    }),
  });
}

/** x · mask / (1 − rate) with a fresh mask seeded from Math.random(); differentiable w.r.t. x. */
export function dropoutTrain(x: tf.Tensor, rate: number): tf.Tensor {
  registerGradientOnce();
  const attrs: DropoutAttrs = { rate, seed: Math.floor(Math.random() * 4294967296) >>> 0 };
  return tf.engine().runKernel(DROPOUT, { x }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

interface DropoutFields {
  rate: number;
  noiseShape: unknown;
}
type CallFn = (this: DropoutFields, inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }) => tf.Tensor | tf.Tensor[];

const patched = new WeakSet<object>();

/** Route training-mode Dropout layers of `layers` through dropoutTrain where available. Idempotent. */
export function installFusedDropout(layers: typeof tflayers = tflayers): void {
  if (process.env["FERC_FUSED"] === "0") return;
  const proto = Object.getPrototypeOf(layers.layers.dropout({ rate: 0.5 })) as { call: CallFn };
  if (patched.has(proto)) return;
  patched.add(proto);
  const original = proto.call;
  proto.call = function (this: DropoutFields, inputs, kwargs) {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const training = kwargs?.training ?? false;
    if (!training || x === undefined || x.dtype !== "float32" || this.noiseShape != null ||
        !(this.rate > 0 && this.rate < 1) || !fusedDropoutAvailable()) {
      return original.call(this, inputs, kwargs);
    }
    return tf.tidy(() => dropoutTrain(x, this.rate));
  };
}
