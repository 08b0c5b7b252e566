/**
 * Classification metrics from a confusion matrix: accuracy, per-class precision / recall / F1 /
 * support and macro F1. Pure, so reports can be checked against hand-computed values.
 */
import type { ClassMetrics } from "./events.js";

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
