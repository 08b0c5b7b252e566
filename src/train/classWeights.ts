/**
 * Per-class loss weights. `balanced` follows scikit-learn/Keras: w_c = n / (k · count_c), so each
 * class contributes equally to the loss in expectation. A class absent from train gets weight 0
 * (it can never appear in a training batch anyway) instead of Infinity.
 */
import type { TrainIR } from "../ir.js";

export function classCounts(labels: Uint8Array, k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (const l of labels) if (l < k) counts[l]! += 1;
  return counts;
}

export function resolveClassWeights(spec: TrainIR["classWeights"], labels: Uint8Array, k: number): number[] | null {
  if (spec === "none") return null;
  if (spec === "balanced") {
    const counts = classCounts(labels, k);
    const n = labels.length;
    return counts.map((c) => (c > 0 ? n / (k * c) : 0));
  }
  if (spec.length !== k) throw new Error(`class weights: ${spec.length} given for ${k} classes`);
  return [...spec];
}
