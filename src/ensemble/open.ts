/**
 * What eval and predict need of a record that may be a run or an ensemble: the images it takes,
 * its classes and a predictor (an ensemble's averages its members', each checked against its
 * hash first), and where its data is.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { openPredictor, openRun, type PredictOptions, type Predictor } from "../run/run.js";
import { RunRequestError } from "../run/requestError.js";
import { openEnsemble, type OpenedEnsemble } from "./members.js";
import { openEnsemblePredictor } from "./predict.js";
import { isEnsembleRecord, type EnsembleManifest } from "./record.js";

export interface OpenedRecord {
  readonly kind: "run" | "ensemble";
  readonly input: readonly [number, number, number];
  readonly classes: readonly string[];
  /** Present for an ensemble record. */
  readonly ensemble?: OpenedEnsemble;
}

/** Read a run or ensemble record (an ensemble's members checked against their hashes). */
export async function openRecord(dir: string): Promise<OpenedRecord> {
  if (await isEnsembleRecord(dir)) {
    const ensemble = await openEnsemble(dir);
    return { kind: "ensemble", input: ensemble.manifest.input, classes: ensemble.manifest.classes, ensemble };
  }
  const run = await openRun(dir);
  return { kind: "run", input: run.spec.dataset.input, classes: run.spec.dataset.classes };
}

/** The record's predictor: the run's model, or the ensemble's members averaged. Caller disposes. */
export async function recordPredictor(dir: string, r: OpenedRecord, opts: PredictOptions = {}): Promise<Predictor> {
  return r.ensemble ? openEnsemblePredictor(r.ensemble.members, r.classes, opts) : openPredictor(dir, opts);
}

/**
 * Where an ensemble's data is now (the source it was evaluated on, beside the record as recorded,
 * else at its absolute path); undefined for synthetic data. Missing data is a RunRequestError.
 */
export function ensembleSourcePath(dir: string, m: EnsembleManifest): string | undefined {
  const s = m.dataSource;
  if (s === undefined) return undefined;
  const candidates = [path.resolve(dir, s.relative), s.absolute];
  const found = candidates.find((p) => existsSync(p));
  if (found !== undefined) return found;
  throw new RunRequestError(`the ensemble's data is not at ${candidates[0]} (${s.relative} from the record) nor at ${s.absolute}; pass --data PATH`);
}
