/**
 * Choosing an ensemble's members among candidate records on the validation split: greedy forward
 * selection (Caruana et al., "Ensemble selection from libraries of models", 2004, without
 * replacement). Start from the best candidate alone, add whichever candidate raises the mean's
 * validation accuracy most, stop when none raises it. Ties go to the lower validation loss, then
 * to the earlier candidate, so the choice is deterministic. Only validation probabilities enter:
 * the test split is evaluated afterwards, once, on the chosen members.
 */
import type { EvalResult } from "../train/events.js";
import { scoreProbabilities } from "../train/metrics.js";

export const SELECTION_METHODS = ["greedy"] as const;
export type SelectionMethod = (typeof SELECTION_METHODS)[number];

export interface SelectionStep {
  /** The candidate added at this step (an index into the candidates). */
  readonly added: number;
  /** The chosen members' mean after adding it, on the validation split. */
  readonly score: EvalResult;
}

export interface Selection {
  /** Candidate indices, in the order they were added. */
  readonly chosen: readonly number[];
  readonly steps: readonly SelectionStep[];
  /** Each candidate alone on the validation split. */
  readonly alone: readonly EvalResult[];
}

/** Whether `a` beats `b`: higher accuracy, then lower loss (a strict order, for ties). */
function better(a: EvalResult, b: EvalResult): boolean {
  if (a.acc !== b.acc) return a.acc > b.acc;
  return a.loss < b.loss;
}

/**
 * Greedy forward selection over the candidates' validation probabilities (`rows[i]`: candidate
 * i's probabilities for every validation image, `classes.length` per image).
 */
export function selectGreedy(rows: readonly Float32Array[], labels: ArrayLike<number>, classes: readonly string[], split: string): Selection {
  if (rows.length === 0) throw new Error("no candidates to select from");
  if (labels.length === 0) throw new Error("greedy selection needs a validation split with images");
  const alone = rows.map((r) => scoreProbabilities(r, labels, classes, split));
  let first = 0;
  for (let i = 1; i < alone.length; i++) if (better(alone[i]!, alone[first]!)) first = i;
  const chosen = [first];
  const steps: SelectionStep[] = [{ added: first, score: alone[first]! }];
  // The running sum of the chosen members' probabilities: a candidate's mean is (sum + its row) / (k + 1).
  const sum = Float32Array.from(rows[first]!);
  const mean = new Float32Array(sum.length);
  for (;;) {
    let pick = -1;
    let pickScore: EvalResult | null = null;
    for (let i = 0; i < rows.length; i++) {
      if (chosen.includes(i)) continue;
      const k = chosen.length, row = rows[i]!;
      if (row.length !== sum.length) throw new Error(`candidate probabilities of different lengths (${row.length} vs ${sum.length})`);
      for (let j = 0; j < mean.length; j++) mean[j] = (sum[j]! + row[j]!) / (k + 1);
      const s = scoreProbabilities(mean, labels, classes, split);
      if (pickScore === null || better(s, pickScore)) {
        pick = i;
        pickScore = s;
      }
    }
    const current = steps[steps.length - 1]!.score;
    if (pick < 0 || pickScore === null || pickScore.acc <= current.acc) break;
    chosen.push(pick);
    steps.push({ added: pick, score: pickScore });
    const row = rows[pick]!;
    for (let j = 0; j < sum.length; j++) sum[j]! += row[j]!;
  }
  return { chosen, steps, alone };
}
