/**
 * `sweep.yaml`: the sweep (spec, variations, options), its trials and their states. Rewritten
 * atomically after every state change, so a sweep killed at any point leaves a file that says
 * which trials finished and where their run records are, which is all `--resume` needs.
 * Paths inside are relative to the sweep directory, so the directory can be moved or copied.
 */
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import { writeFileAtomic } from "../run/atomicFs.js";
import { yamlErrorPlace } from "../run/manifest.js";
import { isMissing, readRecordText } from "../run/recordFiles.js";
import { FercError } from "../errors.js";

export type TrialStatus = "pending" | "running" | "completed" | "failed" | "interrupted";

export interface TrialState {
  /** `t1`, `t2`, ...: also the Slurm array index (the number). */
  readonly id: string;
  /** The varied settings, as `path: value` (.fer text). */
  readonly assignment: Readonly<Record<string, string>>;
  /** Its semantic difference from the base spec, as `ferc diff` prints it. */
  readonly changes: readonly string[];
  readonly params: number;
  /** Base `expect` assertions that no longer hold for this trial, so were dropped from it. */
  readonly droppedExpect?: readonly string[];
  /** The trial's spec file, relative to the sweep directory. */
  readonly spec: string;
  status: TrialStatus;
  /** Its run record (relative), once the run has created one. */
  runDir?: string;
  /** How many times it was started (1 + resumes). */
  attempts: number;
  /** Wall time of all its attempts, ms. */
  wallMs: number;
  /** The last failure or interruption, in words. */
  message?: string;
}

export interface SlurmOptions {
  readonly partition?: string;
  readonly time?: string;
  readonly cpus: number;
  readonly mem?: string;
  readonly extra: readonly string[];
}

/**
 * A sweep that trains an ensemble's spec members (`ferc ensemble FILE`): the ensemble it builds
 * once every trial has completed, so `ferc ensemble --resume <sweep>` can finish it. Paths are
 * absolute (the ensemble file and record directory live outside the sweep).
 */
export interface EnsembleOfSweep {
  readonly name: string;
  /** The ensemble file, and its text when the sweep was made (kept in the record as ensemble.fer). */
  readonly file: string;
  readonly source: string;
  /** The members in the file's order: run records as they are, and this sweep's trials. */
  readonly members: readonly ({ readonly kind: "run"; readonly dir: string } | { readonly kind: "trial"; readonly id: string })[];
  /** Where the ensemble record is written. */
  readonly runsDir: string;
}

export interface SweepState {
  readonly sweepVersion: 1;
  readonly id: string;
  readonly spec: string;
  /** The base spec file as given (for people; trials have their own spec files). */
  readonly specFile: string;
  readonly createdAt: string;
  /** The metric trials are ranked by: the spec's validation monitor. */
  readonly rankedBy: string;
  readonly sampling: { readonly mode: "grid" } | { readonly mode: "random"; readonly samples: number; readonly seed: number; readonly gridSize: number };
  readonly vary: readonly { readonly path: string; readonly values: readonly string[] }[];
  /** Per-trial `ferc run` options shared by all trials (epochs, limit, data, augment, backend). */
  readonly run: Readonly<Record<string, string | number | boolean>>;
  executor: "local" | "slurm";
  jobs?: number;
  slurm?: SlurmOptions;
  /** Slurm array jobs submitted for this sweep, oldest first. */
  slurmJobs?: string[];
  /** The process driving the sweep now (a live one blocks `--resume`). */
  owner?: { readonly pid: number; readonly host: string };
  updatedAt?: string;
  readonly trials: TrialState[];
  /** Present when the sweep trains an ensemble's members. */
  readonly ensemble?: EnsembleOfSweep;
}

export const SWEEP_FILE = "sweep.yaml";

export async function writeSweepState(dir: string, s: SweepState): Promise<void> {
  s.updatedAt = new Date().toISOString();
  // The JSON round trip drops undefined optionals (YAML would write them as null).
  await writeFileAtomic(path.join(dir, SWEEP_FILE), YAML.stringify(JSON.parse(JSON.stringify(s))));
}

export class SweepStateError extends FercError {
  override readonly name = "SweepStateError";
  readonly kind = "spec";
}

export async function readSweepState(dir: string): Promise<SweepState> {
  const file = path.join(dir, SWEEP_FILE);
  let text: string;
  try {
    // Read as a record file is: a regular file, not a link, of bounded size.
    text = await readRecordText(file);
  } catch (err) {
    if (isMissing(err)) throw new SweepStateError(`${dir} is not a sweep directory (no ${SWEEP_FILE})`);
    throw new SweepStateError(err instanceof Error ? err.message : String(err));
  }
  let data: unknown;
  try {
    data = YAML.parse(text);
  } catch (err) {
    throw new SweepStateError(`${file}: not valid YAML (${yamlErrorPlace(err)})`);
  }
  const s = data as Partial<SweepState> | null;
  if (!s || s.sweepVersion !== 1 || !Array.isArray(s.trials) || typeof s.id !== "string" || typeof s.rankedBy !== "string") {
    throw new SweepStateError(`${file}: not a ferc sweep file (sweepVersion 1 with id, rankedBy and trials)`);
  }
  for (const t of s.trials) {
    if (typeof t?.id !== "string" || typeof t.spec !== "string" || typeof t.status !== "string") throw new SweepStateError(`${file}: a trial lacks id, spec or status`);
  }
  return s as SweepState;
}

export const currentOwner = (): { pid: number; host: string } => ({ pid: process.pid, host: os.hostname() });

/** The recorded driver is another live process on this machine. */
export function ownerAlive(owner: SweepState["owner"]): boolean {
  if (!owner || owner.host !== os.hostname() || owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Trials that still have work: never started, interrupted, or left "running" by a killed sweep. */
export const unfinished = (s: SweepState): TrialState[] => s.trials.filter((t) => t.status !== "completed" && t.status !== "failed");
