/**
 * Optimizer construction from `OptimizerIR`, per-epoch learning-rate changes, and exact
 * save/restore of optimizer state (moments, iteration count, Adam's β-power accumulators) for
 * resume.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { OptimizerIR } from "../ir.js";
import { installFusedAdam, syncFusedAdam } from "../backend/fusedAdam.js";

export function createOptimizer(ir: OptimizerIR): tf.Optimizer {
  switch (ir.kind) {
    case "adam": {
      const adam = tf.train.adam(ir.lr, ir.beta1, ir.beta2, ir.epsilon);
      // One fused kernel per variable where the backend has it (wasm with ferc's kernels).
      installFusedAdam(adam);
      return adam;
    }
    case "sgd":
      // Plain SGD has no state; momentum 0 with nesterov would be plain SGD anyway.
      return ir.momentum > 0 ? tf.train.momentum(ir.lr, ir.momentum, ir.nesterov) : tf.train.sgd(ir.lr);
    case "rmsprop":
      return tf.train.rmsprop(ir.lr, ir.rho, ir.momentum, ir.epsilon);
  }
}

/**
 * tfjs has no public setter on Adam/RMSProp; they read `this.learningRate` on every step, so the
 * field is set directly. SGD/momentum cache `-lr` as a scalar, hence their `setLearningRate`.
 */
export function setLearningRate(opt: tf.Optimizer, lr: number): void {
  // Duck-typed: tfjs' Optimizer overrides Symbol.hasInstance, so `instanceof SGDOptimizer` is true
  // for every optimizer.
  const o = opt as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (typeof o.setLearningRate === "function") o.setLearningRate(lr);
  else o.learningRate = lr;
}

/** One saved tensor: name, shape, dtype and values (float32 or int32). */
export interface SavedTensor {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: "float32" | "int32";
  readonly values: Float32Array | Int32Array;
}

export interface OptimizerState {
  readonly kind: string;
  readonly tensors: readonly SavedTensor[];
  /** Adam's running β^t products; restoring them avoids pow()-vs-product rounding drift on resume. */
  readonly accBeta1?: number;
  readonly accBeta2?: number;
}

interface AdamInternals {
  accBeta1?: tf.Variable;
  accBeta2?: tf.Variable;
}

export async function exportOptimizerState(opt: tf.Optimizer, kind: string): Promise<OptimizerState> {
  const named = await opt.getWeights();
  const tensors: SavedTensor[] = [];
  for (const { name, tensor } of named) {
    const dtype = tensor.dtype === "int32" ? "int32" : "float32";
    const data = await tensor.data();
    tensors.push({
      name,
      shape: [...tensor.shape],
      dtype,
      values: dtype === "int32" ? Int32Array.from(data as Int32Array) : Float32Array.from(data as Float32Array),
    });
  }
  // saveIterations() allocates a fresh scalar each call; the moments are live variables (kept).
  if (named.length > 0) named[0]!.tensor.dispose();
  const internals = opt as unknown as AdamInternals;
  const state: OptimizerState = { kind, tensors };
  if (internals.accBeta1 && internals.accBeta2) {
    return {
      ...state,
      accBeta1: (await internals.accBeta1.data())[0],
      accBeta2: (await internals.accBeta2.data())[0],
    };
  }
  return state;
}

export async function importOptimizerState(opt: tf.Optimizer, state: OptimizerState): Promise<void> {
  if (state.tensors.length === 0) return;
  const named = state.tensors.map((t) => ({ name: t.name, tensor: tf.tensor(t.values, t.shape, t.dtype) }));
  await opt.setWeights(named);
  // setWeights copies into new variables, so the source tensors can go.
  for (const n of named) n.tensor.dispose();
  const internals = opt as unknown as AdamInternals;
  if (internals.accBeta1 && state.accBeta1 !== undefined) internals.accBeta1.assign(tf.scalar(state.accBeta1));
  if (internals.accBeta2 && state.accBeta2 !== undefined) internals.accBeta2.assign(tf.scalar(state.accBeta2));
  await syncFusedAdam(opt);
}
