/**
 * Greedy forward selection of ensemble members on generated validation probabilities: it starts
 * from the best candidate alone, adds the candidate that raises the mean's accuracy most, stops
 * when none does, breaks ties by loss then order, and does not depend on the candidates' order.
 */
import { describe, expect, it } from "vitest";
import { selectGreedy } from "../../src/ensemble/select.js";
import { scoreProbabilities } from "../../src/train/metrics.js";

const CLASSES = ["a", "b", "c", "d", "e", "f", "g"];
const K = CLASSES.length;
const N = 100;
const labels = Uint8Array.from({ length: N }, (_, i) => i % K);

/** Probabilities that put `confidence` on the label where `right(i)`, else on the next class. */
function candidate(right: (i: number) => boolean, confidence: number, wrongConfidence = confidence): Float32Array {
  const out = new Float32Array(N * K);
  for (let i = 0; i < N; i++) {
    const target = right(i) ? labels[i]! : (labels[i]! + 1) % K;
    const c = right(i) ? confidence : wrongConfidence;
    for (let j = 0; j < K; j++) out[i * K + j] = j === target ? c : (1 - c) / (K - 1);
  }
  return out;
}

// A: right on images 0-69 (70%), at 0.6. B: right on 40-99 (60%), sure where it is right (0.9)
// and unsure where it is wrong (0.3), so the mean of A and B is right on all 100.
const A = candidate((i) => i < 70, 0.6);
const B = candidate((i) => i >= 40, 0.9, 0.3);
// C: right on 0-64 (65%), wrong where A is wrong too: it only adds A's mistakes.
const C = candidate((i) => i < 65, 0.6);

describe("selectGreedy", () => {
  it("starts from the best alone, adds what raises accuracy, stops when nothing does", () => {
    const s = selectGreedy([C, A, B], labels, CLASSES, "val");
    expect(s.alone.map((r) => r.acc)).toEqual([0.65, 0.7, 0.6]);
    expect(s.chosen[0]).toBe(1);
    // Every step raised the accuracy of the mean, and each step's score is that mean's.
    for (let i = 1; i < s.steps.length; i++) expect(s.steps[i]!.score.acc).toBeGreaterThan(s.steps[i - 1]!.score.acc);
    const rows = [C, A, B];
    const mean = new Float32Array(N * K);
    for (const c of s.chosen) rows[c]!.forEach((v, j) => (mean[j]! += v / s.chosen.length));
    expect(s.steps.at(-1)!.score.acc).toBeCloseTo(scoreProbabilities(mean, labels, CLASSES, "val").acc, 10);
    // B, the weakest alone, is the one that complements A: A+B is right everywhere; C adds nothing.
    expect(s.chosen).toEqual([1, 2]);
    expect(s.steps.map((st) => st.score.acc)).toEqual([0.7, 1]);
    // No unchosen candidate would have raised the final accuracy.
    for (const i of [0, 1, 2].filter((x) => !s.chosen.includes(x))) {
      const withIt = new Float32Array(N * K);
      for (const c of [...s.chosen, i]) rows[c]!.forEach((v, j) => (withIt[j]! += v / (s.chosen.length + 1)));
      expect(scoreProbabilities(withIt, labels, CLASSES, "val").acc).toBeLessThanOrEqual(s.steps.at(-1)!.score.acc);
    }
  });

  it("chooses the same members whatever the candidates' order", () => {
    const rows = [A, B, C];
    const ids = (order: number[]) => selectGreedy(order.map((i) => rows[i]!), labels, CLASSES, "val").chosen.map((c) => order[c]!);
    const expected = ids([0, 1, 2]);
    for (const order of [[2, 1, 0], [1, 0, 2], [2, 0, 1]]) expect(ids(order).sort()).toEqual([...expected].sort());
  });

  it("keeps one of two identical candidates (a copy never raises accuracy) and prefers the lower loss on a tie", () => {
    expect(selectGreedy([A, Float32Array.from(A)], labels, CLASSES, "val").chosen).toEqual([0]);
    // Same accuracy, A2 more confident where it is right: lower loss, chosen first.
    const A2 = candidate((i) => i < 70, 0.8, 0.6);
    const s = selectGreedy([A, A2], labels, CLASSES, "val");
    expect(s.alone[0]!.acc).toBe(s.alone[1]!.acc);
    expect(s.chosen[0]).toBe(1);
  });

  it("greedy-loss starts from the lowest loss and keeps adding while the mean's loss falls, even when accuracy stays put", () => {
    // D and E: right on the same 70 images, each unsure on a different half of them, so each alone
    // has a higher loss than their mean; the mean's accuracy is the same 70%.
    const D = candidate((i) => i < 70, 0.6), E = candidate((i) => i < 70, 0.6);
    for (let i = 0; i < 70; i++) {
      const unsure = i % 2 === 0 ? D : E;
      for (let j = 0; j < K; j++) unsure[i * K + j] = j === labels[i]! ? 0.3 : 0.7 / (K - 1);
    }
    const byAcc = selectGreedy([D, E], labels, CLASSES, "val", "greedy");
    expect(byAcc.chosen).toHaveLength(1);
    const byLoss = selectGreedy([D, E], labels, CLASSES, "val", "greedy-loss");
    expect(byLoss.chosen.sort()).toEqual([0, 1]);
    expect(byLoss.steps[1]!.score.acc).toBe(byLoss.steps[0]!.score.acc);
    expect(byLoss.steps[1]!.score.loss).toBeLessThan(byLoss.steps[0]!.score.loss);
    // It starts from the lowest loss alone, not the highest accuracy: A2 (more sure, 70%) before B.
    const A2 = candidate((i) => i < 70, 0.8, 0.6);
    const s = selectGreedy([B, A2, A], labels, CLASSES, "val", "greedy-loss");
    const losses = s.alone.map((r) => r.loss);
    expect(s.chosen[0]).toBe(losses.indexOf(Math.min(...losses)));
    // Every step lowered the loss; no candidate left out would lower it further.
    for (let i = 1; i < s.steps.length; i++) expect(s.steps[i]!.score.loss).toBeLessThan(s.steps[i - 1]!.score.loss);
    const rows = [B, A2, A];
    for (const i of [0, 1, 2].filter((x) => !s.chosen.includes(x))) {
      const withIt = new Float32Array(N * K);
      for (const c of [...s.chosen, i]) rows[c]!.forEach((v, j) => (withIt[j]! += v / (s.chosen.length + 1)));
      expect(scoreProbabilities(withIt, labels, CLASSES, "val").loss).toBeGreaterThanOrEqual(s.steps.at(-1)!.score.loss);
    }
    // A copy of a chosen candidate never lowers the loss of the mean it is already in.
    expect(selectGreedy([A, Float32Array.from(A)], labels, CLASSES, "val", "greedy-loss").chosen).toEqual([0]);
  });

  it("refuses no candidates and an empty validation split", () => {
    expect(() => selectGreedy([], labels, CLASSES, "val")).toThrow(/no candidates/);
    expect(() => selectGreedy([new Float32Array(0)], new Uint8Array(0), CLASSES, "val")).toThrow(/validation split/);
  });
});
