/**
 * Adam with one fused kernel per variable (FercAdamUpdate) where the active backend has it (wasm
 * with ferc's kernels). `installFusedAdam(opt)` replaces that optimizer instance's applyGradients;
 * its state (the `<var>/m`, `<var>/v` moment variables, β-power accumulators, iteration count)
 * is kept exactly as tfjs' AdamOptimizer keeps it, so getWeights/setWeights, checkpoints and
 * resume are unchanged. Elsewhere the stock update runs.
 *
 * The kernel takes the bias corrections 1 − βᵗ as numbers. Reading the accumulators every step
 * would be a synchronous device read; instead the host keeps an exact float32 mirror of βᵗ
 * (tfjs multiplies float32 by float32, which `Math.fround` of the double product reproduces
 * bit for bit), refreshed from the variables by `syncFusedAdam` after a restore.
 */
import * as tf from "@tensorflow/tfjs-core";
import { ADAM_UPDATE, type AdamUpdateAttrs } from "./wasm/adam.js";

interface Moment {
  originalName: string;
  variable: tf.Variable;
}

/** The AdamOptimizer fields the fused update reads and writes (not in tfjs' public typings). */
interface AdamFields {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Moment[];
  accumulatedSecondMoment: Moment[];
  incrementIterations(): void;
  applyGradients(g: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void;
}

/** The host's copy of the β-power accumulators (float32 values). */
interface BetaPowers {
  b1: number;
  b2: number;
}
const POWERS = new WeakMap<object, BetaPowers>();

export function fusedAdamAvailable(): boolean {
  return tf.getKernel(ADAM_UPDATE, tf.getBackend()) !== undefined;
}

export function installFusedAdam(optimizer: tf.Optimizer): void {
  const opt = optimizer as unknown as AdamFields;
  if (!(opt.accBeta1 && opt.accBeta2 && Array.isArray(opt.accumulatedFirstMoment))) return; // not Adam
  // FERC_FUSED=0 keeps every stock path (A/B timing, debugging).
  if (process.env["FERC_FUSED"] === "0") return;
  const original = opt.applyGradients.bind(opt);
  // tfjs creates accBeta1/2 as float32 scalars of beta1/beta2.
  const powers: BetaPowers = { b1: Math.fround(opt.beta1), b2: Math.fround(opt.beta2) };
  POWERS.set(optimizer, powers);
  opt.applyGradients = (variableGradients) => {
    if (!fusedAdamAvailable()) {
      original(variableGradients);
      // The stock update moved the accumulators on the device: keep the mirror in step.
      advance(powers, opt);
      return;
    }
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.keys(variableGradients).map((name) => ({ name, tensor: variableGradients[name]! }));
    // The accumulators are float32 scalars; c = 1 − βᵗ in float32, as tfjs' sub(1, accBeta).
    const c1 = Math.fround(1 - powers.b1);
    const c2 = Math.fround(1 - powers.b2);
    const attrs: AdamUpdateAttrs = { beta1: opt.beta1, beta2: opt.beta2, lr: opt.learningRate, epsilon: opt.epsilon, c1, c2 };
    tf.tidy(() => {
      list.forEach(({ name, tensor: gradient }, i) => {
        const value = tf.engine().registeredVariables[name]!;
        // Created as tfjs creates them (same names and order), so saved state stays compatible.
        opt.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        opt.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        if (gradient == null) return;
        const m = opt.accumulatedFirstMoment[i]!.variable;
        const v = opt.accumulatedSecondMoment[i]!.variable;
        const [x1, m1, v1] = tf.engine().runKernel(ADAM_UPDATE, { x: value, m, v, g: gradient }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        m.assign(m1!);
        v.assign(v1!);
        value.assign(x1!);
      });
      opt.accBeta1.assign(tf.mul(opt.accBeta1, opt.beta1));
      opt.accBeta2.assign(tf.mul(opt.accBeta2, opt.beta2));
    });
    advance(powers, opt);
    opt.incrementIterations();
  };
}

/** βᵗ⁺¹ = βᵗ·β in float32, as the device computes it. */
function advance(powers: BetaPowers, opt: AdamFields): void {
  powers.b1 = Math.fround(powers.b1 * Math.fround(opt.beta1));
  powers.b2 = Math.fround(powers.b2 * Math.fround(opt.beta2));
}

/** After the accumulators were restored (resume): read them once into the host's mirror. */
export async function syncFusedAdam(optimizer: tf.Optimizer): Promise<void> {
  const powers = POWERS.get(optimizer);
  const opt = optimizer as unknown as AdamFields;
  if (!powers || !opt.accBeta1 || !opt.accBeta2) return;
  powers.b1 = (await opt.accBeta1.data())[0]!;
  powers.b2 = (await opt.accBeta2.data())[0]!;
}
