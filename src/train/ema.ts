/**
 * `train { ema DECAY }`: an exponential moving average of the weights, shadow ← d·shadow + (1 − d)·w
 * after every step (all of model.weights, batch-norm moving statistics included, so the averaged
 * model is self-consistent). Validation, the best checkpoint and the final weights (the ones
 * tested) use the average; training continues on the live weights. The shadow travels in the
 * `last` checkpoint as extra optimizer-state tensors named `ema:<i>`, so resume continues it.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { OptimizerState, SavedTensor } from "./optimizer.js";
import { restoreWeights, snapshotWeights, type WeightSnapshot } from "./weights.js";

const PREFIX = "ema:";

export class WeightAverage {
  private readonly shadow: tf.Variable[];

  constructor(private readonly model: LayersModel, private readonly decay: number, saved?: readonly SavedTensor[]) {
    const ws = model.weights;
    const from = saved?.filter((t) => t.name.startsWith(PREFIX));
    if (from && from.length > 0 && from.length !== ws.length) throw new Error(`checkpoint has ${from.length} averaged weights, the model has ${ws.length}`);
    this.shadow = ws.map((w, i) => tf.variable(from?.length ? tf.tensor(from[i]!.values, from[i]!.shape, "float32") : w.read(), false));
  }

  /** After a step: fold the live weights into the average. */
  update(): void {
    const ws = this.model.weights;
    tf.tidy(() => this.shadow.forEach((s, i) => s.assign(tf.add(tf.mul(s, this.decay), tf.mul(ws[i]!.read(), 1 - this.decay)))));
  }

  /** Put the averaged weights into the model; returns the live ones to put back. */
  async swapIn(): Promise<WeightSnapshot> {
    const live = await snapshotWeights(this.model);
    this.model.setWeights(this.shadow);
    return live;
  }

  swapOut(live: WeightSnapshot): void {
    restoreWeights(this.model, live);
  }

  /** Leave the averaged weights in the model (the run's final weights). */
  apply(): void {
    this.model.setWeights(this.shadow);
  }

  /** The optimizer state with the average appended (for the checkpoint). */
  async withState(state: OptimizerState): Promise<OptimizerState> {
    const values = await Promise.all(this.shadow.map((s) => s.data<"float32">()));
    const extra: SavedTensor[] = this.shadow.map((s, i) => ({ name: `${PREFIX}${i}`, shape: [...s.shape], dtype: "float32", values: Float32Array.from(values[i]!) }));
    return { ...state, tensors: [...state.tensors, ...extra] };
  }

  dispose(): void {
    tf.dispose(this.shadow);
  }
}

/** The optimizer's own part of a checkpoint's state (without the average). */
export function withoutAverage(state: OptimizerState): OptimizerState {
  return state.tensors.some((t) => t.name.startsWith(PREFIX)) ? { ...state, tensors: state.tensors.filter((t) => !t.name.startsWith(PREFIX)) } : state;
}
