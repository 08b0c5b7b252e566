/**
 * An ensemble's predictions: each member's class probabilities (its own preprocessing of the raw
 * images, its own window and test-time views, through src/run's `openPredictor`), averaged with
 * equal weight. The one definition used by `ferc ensemble` (building the record), `ferc eval`,
 * `ferc predict` and distillation's teacher targets; the ONNX export writes the same arithmetic
 * into its graph (src/export/ensemble.ts).
 */
import type { Split } from "../data/types.js";
import type { EvalResult } from "../train/events.js";
import { scoreProbabilities } from "../train/metrics.js";
import { openPredictor, type PredictOptions, type Prediction, type Predictor } from "../run/run.js";
import type { Member } from "./members.js";

/** Element-wise mean of equally long probability arrays. */
export function meanProbabilities(rows: readonly Float32Array[]): Float32Array {
  if (rows.length === 0) throw new Error("no member probabilities to average");
  const out = new Float32Array(rows[0]!.length);
  for (const r of rows) {
    if (r.length !== out.length) throw new Error(`member probabilities of different lengths (${r.length} vs ${out.length})`);
    for (let i = 0; i < out.length; i++) out[i]! += r[i]!;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= rows.length;
  return out;
}

/** Rows of probabilities as predictions (the most probable class first on a tie, as argMax). */
export function toPredictions(probs: Float32Array, classes: readonly string[]): Prediction[] {
  const k = classes.length;
  return Array.from({ length: probs.length / k }, (_, i) => {
    const p = Array.from(probs.subarray(i * k, (i + 1) * k));
    const index = p.reduce((bi, v, j) => (v > p[bi]! ? j : bi), 0);
    return { classes, probabilities: p, top: { index, name: classes[index] ?? String(index), probability: p[index]! } };
  });
}

/** Images per call: bounds the preprocessed copy of a large split (the train split for distillation). */
const CHUNK = 4096;

/** A predictor's probabilities for every image of `pixels`, a chunk at a time. */
export async function probabilitiesOf(p: Predictor, pixels: Uint8Array, n: number): Promise<Float32Array> {
  if (n === 0) return new Float32Array(0);
  const size = pixels.length / n;
  const parts: Float32Array[] = [];
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    parts.push(await p.probabilities(pixels.subarray(start * size, end * size)));
  }
  if (parts.length === 1) return parts[0]!;
  const out = new Float32Array(parts.reduce((a, b) => a + b.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export interface EnsemblePredictor extends Predictor {
  /** The members' own predictors, in member order. */
  readonly members: readonly Predictor[];
}

/** The members' predictors (each its checkpoint as recorded), averaged. Caller disposes. */
export async function openEnsemblePredictor(members: readonly Member[], classes: readonly string[], opts: PredictOptions = {}): Promise<EnsemblePredictor> {
  const opened: Predictor[] = [];
  try {
    for (const m of members) opened.push(await openPredictor(m.dir, { ...opts, checkpoint: m.checkpoint }));
  } catch (e) {
    for (const p of opened) p.dispose();
    throw e;
  }
  const probabilities = async (pixels: Uint8Array): Promise<Float32Array> => {
    const rows: Float32Array[] = [];
    for (const p of opened) rows.push(await p.probabilities(pixels));
    return meanProbabilities(rows);
  };
  return {
    members: opened,
    probabilities,
    predict: async (pixels) => toPredictions(await probabilities(pixels), classes),
    dispose() {
      for (const p of opened) p.dispose();
    },
  };
}

export interface EnsembleEvaluation {
  readonly ensemble: EvalResult;
  /** Each member alone, from the same probabilities (informative; nothing is chosen with them). */
  readonly members: readonly EvalResult[];
}

/** Members' probabilities for one split, scored alone and averaged. */
export function evaluationOf(rows: readonly Float32Array[], labels: ArrayLike<number>, classes: readonly string[], name: string): EnsembleEvaluation {
  return {
    ensemble: scoreProbabilities(meanProbabilities(rows), labels, classes, name),
    members: rows.map((r) => scoreProbabilities(r, labels, classes, name)),
  };
}

/** One split evaluated: every member's probabilities once, scored alone and averaged. */
export async function evaluateEnsemble(p: EnsemblePredictor, split: Split, classes: readonly string[], name: string): Promise<EnsembleEvaluation> {
  const rows: Float32Array[] = [];
  for (const m of p.members) rows.push(await probabilitiesOf(m, split.pixels, split.n));
  return evaluationOf(rows, split.labels, classes, name);
}
