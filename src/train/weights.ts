/**
 * Host copies of a model's weights (all of them, including batch-norm moving statistics), in
 * `model.weights` order. Used to keep the best epoch in memory for restore-best and the NaN guard,
 * and to move weights between a checkpoint and a freshly built model by position (tfjs makes
 * variable names unique per process, so names differ between builds of the same spec).
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";

export interface WeightSnapshot {
  readonly names: readonly string[];
  readonly shapes: readonly (readonly number[])[];
  readonly values: readonly Float32Array[];
}

/** Read asynchronously: a GPU backend cannot serve synchronous reads in Node. */
export async function snapshotWeights(model: LayersModel): Promise<WeightSnapshot> {
  const ws = model.weights;
  const values = await Promise.all(ws.map((w) => w.read().data<"float32">()));
  return {
    names: ws.map((w) => w.originalName),
    shapes: ws.map((w) => w.shape.map((d) => d ?? 0)),
    values: values.map((v) => Float32Array.from(v)),
  };
}

export function restoreWeights(model: LayersModel, snap: WeightSnapshot): void {
  const ws = model.weights;
  if (ws.length !== snap.values.length) {
    throw new Error(`checkpoint has ${snap.values.length} weight tensors, the model has ${ws.length}`);
  }
  const tensors = ws.map((w, i) => {
    const shape = snap.shapes[i]!;
    if (shape.length !== w.shape.length || shape.some((d, j) => d !== w.shape[j])) {
      throw new Error(`weight ${i} (${w.originalName}): checkpoint shape [${shape}] vs model [${w.shape}]`);
    }
    return tf.tensor(snap.values[i]!, [...shape]);
  });
  model.setWeights(tensors);
  tf.dispose(tensors);
}

export function allFinite(snap: WeightSnapshot): boolean {
  return snap.values.every((v) => v.every((x) => Number.isFinite(x)));
}
