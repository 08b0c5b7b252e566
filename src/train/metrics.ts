/**
 * Classification metrics from a confusion matrix: accuracy, per-class precision / recall / F1 /
 * support and macro F1. Pure, so reports can be checked against hand-computed values.
 */
import type { ClassMetrics, EvalResult } from "./events.js";

export function emptyConfusion(k: number): number[][] {
  return Array.from({ length: k }, () => new Array<number>(k).fill(0));
}

/** confusion[true][pred] += 1 for each pair. */
export function addToConfusion(confusion: number[][], truth: ArrayLike<number>, pred: ArrayLike<number>): void {
  for (let i = 0; i < truth.length; i++) confusion[truth[i]!]![pred[i]!]! += 1;
}

/** 0/0 is reported as 0 (sklearn's zero_division=0) so tables stay numeric. */
function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

export function perClassMetrics(confusion: readonly (readonly number[])[], classes: readonly string[]): ClassMetrics[] {
  const k = confusion.length;
  return Array.from({ length: k }, (_, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((s, v) => s + v, 0);
    let predicted = 0;
    for (let r = 0; r < k; r++) predicted += confusion[r]![c]!;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    const f1 = ratio(2 * precision * recall, precision + recall);
    return { name: classes[c] ?? String(c), precision, recall, f1, support };
  });
}

export function accuracyOf(confusion: readonly (readonly number[])[]): number {
  let correct = 0;
  let total = 0;
  confusion.forEach((row, r) =>
    row.forEach((v, c) => {
      total += v;
      if (r === c) correct += v;
    }),
  );
  return ratio(correct, total);
}

export function macroF1(perClass: readonly ClassMetrics[]): number {
  return perClass.length === 0 ? 0 : perClass.reduce((s, c) => s + c.f1, 0) / perClass.length;
}

/** Keras' clip before the log (src/train/loss.ts), so a saturated probability gives a finite loss. */
const EPSILON = 1e-7;

/**
 * What `evaluateModel` reports, from class probabilities computed elsewhere (an ensemble's
 * average of its members'): mean cross-entropy of the true class, accuracy of the most probable
 * class (the first one on a tie, as tf.argMax) and the confusion metrics. `probs` is [n * k].
 */
export function scoreProbabilities(probs: Float32Array, labels: ArrayLike<number>, classes: readonly string[], split: string): EvalResult {
  const k = classes.length;
  const n = labels.length;
  if (probs.length !== n * k) throw new Error(`${probs.length} probabilities for ${n} images of ${k} classes`);
  const confusion = emptyConfusion(k);
  const predicted = new Uint8Array(n);
  let lossSum = 0;
  for (let i = 0; i < n; i++) {
    const row = probs.subarray(i * k, (i + 1) * k);
    let best = 0;
    for (let j = 1; j < k; j++) if (row[j]! > row[best]!) best = j;
    predicted[i] = best;
    lossSum -= Math.log(Math.min(Math.max(row[labels[i]!]!, EPSILON), 1 - EPSILON));
  }
  addToConfusion(confusion, labels, predicted);
  const perClass = perClassMetrics(confusion, classes);
  return { split, n, loss: n > 0 ? lossSum / n : Number.NaN, acc: accuracyOf(confusion), perClass, macroF1: macroF1(perClass), confusion, classes: [...classes] };
}
