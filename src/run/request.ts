/**
 * What a caller (the CLI's `ferc run`) asks of a run, and its resolution into everything the run
 * needs before it starts: the spec with the overrides applied, how the data is read, the backend
 * and time budget, the run directory. A resume reads its record here, once, and fills what the
 * request leaves unset from what the original run was given.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { SpecIR } from "../ir.js";
import { effectiveSourcePath, recordedSourcePath } from "./dataSource.js";
import { parseDuration } from "./duration.js";
import { RunRequestError } from "./requestError.js";
import { openRun, type OpenedRun } from "./run.js";
import { foldRun, runOverrides } from "./asRun.js";
import type { RunOverride } from "./manifest.js";
import { gitState, type GitState } from "../git/state.js";
import { recordedIrProblem } from "./recordIr.js";

export { RunRequestError };

/** Values as a command line gives them; recorded in run.yaml. */
export type RecordedFlags = Readonly<Record<string, string | number | boolean>>;

/** A new run of a checked spec, or the continuation of a stopped run. */
export type RunTarget =
  | {
      readonly kind: "spec";
      /** The spec file: its directory is where the spec's relative data source lives. */
      readonly file: string;
      /** The file's text (stored as spec.fer and hashed) and its checked IR. */
      readonly source: string;
      readonly spec: SpecIR;
      /** Where the run directory is created; default `runs`. */
      readonly runsDir?: string;
    }
  | { readonly kind: "resume"; readonly dir: string };

/** Changes to the spec's training policy. A resumed run keeps the spec it recorded. */
export interface RunOverrides {
  readonly epochs?: number;
  readonly batch?: number;
  readonly seed?: number;
  /** Augment training batches with the spec's augment section (which it must have). */
  readonly augment?: boolean;
}

export interface DataOptions {
  /** A data source instead of the spec's: a .csv/.csv.gz, an image folder, or "synthetic". */
  readonly path?: string;
  /** Train on at most the first N images of the train split (quick experiments). */
  readonly limit?: number;
}

export interface RunRequest {
  readonly target: RunTarget;
  readonly overrides?: RunOverrides;
  readonly data?: DataOptions;
  /** The backend to train on; default: the fastest that loads. */
  readonly backend?: string;
  /** A training-time budget such as 45m, 2h or 1h30m; each process (a resume too) gets all of it. */
  readonly timeLimit?: string;
  /** The command line as given, recorded in run.yaml, where a resume reads what it leaves unset. */
  readonly flags?: RecordedFlags;
}

/** How a run reads its data set (src/run/data.ts datasetLoader). */
export interface RunDataOptions {
  readonly path?: string;
  /** The directory a spec's relative source is relative to (the spec file's). */
  readonly baseDir?: string;
  readonly limit?: number;
}

interface ResolvedCommon {
  readonly data: RunDataOptions;
  readonly backend?: string;
  readonly timeLimitMs?: number;
}

export interface ResolvedStart extends ResolvedCommon {
  readonly kind: "start";
  /**
   * The spec as run: the policy overrides applied, the data source read and the augmentation as
   * trained folded in (src/run/asRun.ts); what is trained and recorded as spec.ir.json.
   */
  readonly spec: SpecIR;
  /** How the run differs from the spec file, for run.yaml and the reports. */
  readonly overrides: readonly RunOverride[];
  /** The commit the spec file is at, when it is in a git repository. */
  readonly git?: GitState;
  readonly source: string;
  readonly runsDir?: string;
  readonly augment: boolean;
  /** The absolute path of the data source (absent for synthetic data), recorded for eval and resume. */
  readonly dataSource?: string;
  readonly flags: RecordedFlags;
  /** The spec declares a sweep; this run trains its base spec once. */
  readonly ignoresSweep: boolean;
  /** `train { distill ... }`: the teacher record, absolute (relative to the spec file's directory as written). */
  readonly teacher?: string;
  /** `train { init-from ... }`: the run record whose weights training starts from, absolute. */
  readonly initFrom?: string;
}

export interface ResolvedResume extends ResolvedCommon {
  readonly kind: "resume";
  /** The run directory's records, read once. */
  readonly run: OpenedRun;
}

export type ResolvedRun = ResolvedStart | ResolvedResume;

/** Resolve a request; a value that cannot work is a RunRequestError, a bad record a RecordError. */
export async function resolveRun(req: RunRequest): Promise<ResolvedRun> {
  return req.target.kind === "spec" ? resolveStart(req, req.target) : resolveResume(req, req.target.dir);
}

function positiveInteger(name: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new RunRequestError(`--${name} must be a positive integer, got ${v}`);
}

/** The overrides applied to the checked spec's policy. */
export function applyOverrides(spec: SpecIR, o: RunOverrides): SpecIR {
  const { epochs, batch, seed } = o;
  positiveInteger("epochs", epochs);
  positiveInteger("batch", batch);
  if (seed !== undefined && !Number.isInteger(seed)) throw new RunRequestError(`--seed must be an integer, got ${seed}`);
  return {
    ...spec,
    train: {
      ...spec.train,
      ...(epochs !== undefined ? { epochs } : {}),
      ...(batch !== undefined ? { batch } : {}),
      ...(seed !== undefined ? { seed } : {}),
    },
  };
}

function timeLimitMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === null) throw new RunRequestError(`--time-limit must be a duration such as 45m, 2h or 1h30m, got ${JSON.stringify(text)}`);
  return ms;
}

/**
 * The overridden spec must check as the spec itself did (`--epochs 200000` is past epochs' range):
 * it is recorded as spec.ir.json, which eval, predict and resume check as strictly as a spec.
 */
function requireChecks(spec: SpecIR, o: RunOverrides): void {
  const given = (["epochs", "batch", "seed"] as const).filter((k) => o[k] !== undefined);
  if (given.length === 0) return;
  const problem = recordedIrProblem(spec, { quote: true });
  if (problem !== null) throw new RunRequestError(`${given.map((k) => `--${k} ${o[k]}`).join(", ")}: the spec with ${given.length === 1 ? "this value" : "these values"} ${problem.replace(/^it does not check as a spec/, "does not check").replace(/^its /, "")}`);
}

async function resolveStart(req: RunRequest, t: Extract<RunTarget, { kind: "spec" }>): Promise<ResolvedStart> {
  const limit = req.data?.limit;
  const policy = applyOverrides(t.spec, req.overrides ?? {});
  positiveInteger("limit", limit);
  const ms = timeLimitMs(req.timeLimit);
  const augment = req.overrides?.augment === true;
  if (augment && !policy.augment.declared) throw new RunRequestError(`--augment: ${t.file} has no augment section`);
  const path = req.data?.path;
  const dataSource = effectiveSourcePath(policy, t.file, path);
  const spec = foldRun(policy, { augment, ...(path !== undefined ? { data: path } : {}) });
  requireChecks(spec, req.overrides ?? {});
  const o = req.overrides ?? {};
  const overrides = runOverrides(t.spec, {
    ...(o.epochs !== undefined ? { epochs: o.epochs } : {}),
    ...(o.batch !== undefined ? { batch: o.batch } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    augment,
    ...(path !== undefined ? { data: path } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(req.timeLimit !== undefined ? { timeLimit: req.timeLimit } : {}),
    ...(req.backend !== undefined ? { backend: req.backend } : {}),
  });
  const git = await gitState(t.file);
  const teacher = spec.train.distill ? teacherDir(spec.train.distill.teacher, t.file) : undefined;
  const initFrom = spec.train.initFrom !== undefined ? initDir(spec.train.initFrom, t.file) : undefined;
  return {
    kind: "start",
    ...(teacher !== undefined ? { teacher } : {}),
    ...(initFrom !== undefined ? { initFrom } : {}),
    spec,
    overrides,
    ...(git ? { git } : {}),
    source: t.source,
    ...(t.runsDir !== undefined ? { runsDir: t.runsDir } : {}),
    augment,
    ...(dataSource !== undefined ? { dataSource } : {}),
    flags: req.flags ?? {},
    ignoresSweep: t.spec.sweep !== undefined,
    data: { ...(path !== undefined ? { path } : {}), baseDir: dirname(resolve(t.file)), ...(limit !== undefined ? { limit } : {}) },
    ...(req.backend !== undefined ? { backend: req.backend } : {}),
    ...(ms !== undefined ? { timeLimitMs: ms } : {}),
  };
}

/** The teacher named by `distill`, from the spec file's directory; it must be a run or ensemble record. */
function teacherDir(written: string, specFile: string): string {
  const dir = resolve(dirname(resolve(specFile)), written);
  if (!existsSync(join(dir, "run.yaml")) && !existsSync(join(dir, "ensemble.yaml"))) {
    throw new RunRequestError(`train.distill: ${dir} is not a run or ensemble record (no run.yaml or ensemble.yaml there); the teacher's path is relative to ${dirname(resolve(specFile))}`);
  }
  return dir;
}

/** The record named by `init-from`, from the spec file's directory; it must be a run record. */
function initDir(written: string, specFile: string): string {
  const dir = resolve(dirname(resolve(specFile)), written);
  if (!existsSync(join(dir, "run.yaml"))) {
    throw new RunRequestError(`train.init-from: ${dir} is not a run record (no run.yaml there); the path is relative to ${dirname(resolve(specFile))}`);
  }
  return dir;
}

const text = (v: string | number | boolean | undefined): string | undefined => (v === undefined ? undefined : String(v));
const num = (v: string | number | boolean | undefined): number | undefined => (typeof v === "number" ? v : undefined);

/**
 * The record read once; the data source, train-image limit, backend and time limit are the
 * original run's unless the request gives them. Its spec (overrides included) is the recorded one.
 */
async function resolveResume(req: RunRequest, dir: string): Promise<ResolvedResume> {
  // A missing or damaged record is a RecordError naming the file.
  const run = await openRun(dir);
  const recorded = run.manifest.flags;
  // Where the run's data is now, whatever the working directory (the record has it absolute and record-relative).
  const path = req.data?.path ?? recordedSourcePath(dir, run.manifest) ?? text(recorded["data"]);
  const limit = req.data?.limit ?? num(recorded["limit"]);
  const backend = req.backend ?? text(recorded["backend"]);
  const ms = timeLimitMs(req.timeLimit ?? text(recorded["time-limit"]));
  return {
    kind: "resume",
    run,
    data: { ...(path !== undefined ? { path } : {}), ...(limit !== undefined ? { limit } : {}) },
    ...(backend !== undefined ? { backend } : {}),
    ...(ms !== undefined ? { timeLimitMs: ms } : {}),
  };
}
