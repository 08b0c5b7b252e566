/**
 * Choosing an ensemble's members among candidate records on the validation split: greedy forward
 * selection (Caruana et al., "Ensemble selection from libraries of models", 2004, without
 * replacement). Start from the best candidate alone, add whichever candidate improves the mean
 * most, stop when none improves it. `greedy` scores by validation accuracy (ties: lower loss);
 * `greedy-loss` by validation loss (ties: higher accuracy). Accuracy on a few thousand images moves
 * in steps of one image and stops early on a plateau; the loss moves with every probability, so
 * it keeps adding members while their average still gets better calibrated, the reason
 * ensembles generalise. Remaining ties go to the earlier candidate, so the choice is
 * deterministic. Only validation probabilities enter: the test split is evaluated afterwards,
 * once, on the chosen members.
 */
import type { EvalResult } from "../train/events.js";
import { scoreProbabilities } from "../train/metrics.js";

export const SELECTION_METHODS = ["greedy", "greedy-loss"] as const;
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

/** What each method optimises on the validation split (accuracy up, loss down), as the record's `monitor` names it. */
export function selectionMonitor(method: SelectionMethod): "val.acc" | "val.loss" {
  return method === "greedy-loss" ? "val.loss" : "val.acc";
}

/** Whether `a` beats `b` under `method`: its measure first, the other one on a tie (a strict order). */
function better(method: SelectionMethod, a: EvalResult, b: EvalResult): boolean {
  if (method === "greedy-loss") return a.loss !== b.loss ? a.loss < b.loss : a.acc > b.acc;
  return a.acc !== b.acc ? a.acc > b.acc : a.loss < b.loss;
}

/** Whether `next` improves on `current` by the method's own measure (a tie in it does not). */
function improves(method: SelectionMethod, next: EvalResult, current: EvalResult): boolean {
  return method === "greedy-loss" ? next.loss < current.loss : next.acc > current.acc;
}

/**
 * Greedy forward selection over the candidates' validation probabilities (`rows[i]`: candidate
 * i's probabilities for every validation image, `classes.length` per image).
 */
export function selectGreedy(rows: readonly Float32Array[], labels: ArrayLike<number>, classes: readonly string[], split: string, method: SelectionMethod = "greedy"): Selection {
  if (rows.length === 0) throw new Error("no candidates to select from");
  if (labels.length === 0) throw new Error("greedy selection needs a validation split with images");
  const alone = rows.map((r) => scoreProbabilities(r, labels, classes, split));
  let first = 0;
  for (let i = 1; i < alone.length; i++) if (better(method, alone[i]!, alone[first]!)) first = i;
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
      if (pickScore === null || better(method, s, pickScore)) {
        pick = i;
        pickScore = s;
      }
    }
    const current = steps[steps.length - 1]!.score;
    if (pick < 0 || pickScore === null || !improves(method, pickScore, current)) break;
    chosen.push(pick);
    steps.push({ added: pick, score: pickScore });
    const row = rows[pick]!;
    for (let j = 0; j < sum.length; j++) sum[j]! += row[j]!;
  }
  return { chosen, steps, alone };
}
