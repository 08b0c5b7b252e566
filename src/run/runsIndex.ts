/**
 * `ferc runs`: one row per run record under a folder (a runs folder, a sweep folder, or a folder
 * of sweeps), the leaderboard people keep by hand: id, spec, status, backend, epochs, training
 * time, validation accuracy at the kept epoch, test accuracy with its n, parameters. A record
 * that cannot be read is a row saying why, not an error: one damaged run must not hide the others.
 */
import { promises as fsp } from "node:fs";
import * as path from "node:path";
import type { SpecIR, SplitRuleIR } from "../ir.js";
import type { EpochMetrics } from "../train/events.js";
import { readSweepState, SWEEP_FILE } from "../sweep/state.js";
import { readManifest } from "./manifest.js";
import { FILES } from "./layout.js";
import { overridesOf, overrideText } from "./asRun.js";
import { ENSEMBLE_FILES, readEnsembleManifest } from "../ensemble/record.js";
import { FercError } from "../errors.js";

const ENSEMBLE_MANIFEST = ENSEMBLE_FILES.manifest;

export interface SplitScore {
  /** What the split is called: the CSV Usage value (PublicTest, PrivateTest) or val/test. */
  readonly split: string;
  readonly acc: number;
  readonly n: number | null;
}

export interface RunRow {
  readonly id: string;
  /** The record's directory as given (relative to where ferc runs, when the folder was). */
  readonly dir: string;
  readonly spec: string;
  /** running, completed, stopped, failed; `damaged` for a record that cannot be read. */
  readonly status: string;
  readonly reason?: string;
  readonly backend: string;
  readonly startedAt: string;
  readonly epochs: { readonly done: number; readonly planned: number; readonly best: number };
  /** Training time of all its epochs (resumes included), ms. */
  readonly trainingMs: number;
  /** Validation accuracy at the epoch the run kept (its best), the selection metric. */
  readonly val: SplitScore | null;
  /** Test accuracy as the run tested (after training, once). */
  readonly test: SplitScore | null;
  readonly params: number | null;
  /** The run's command-line overrides, as reports print them. */
  readonly overrides: readonly string[];
  /** Why a damaged record could not be read. */
  readonly problem?: string;
  /** An ensemble record (src/ensemble): its members' count; epochs are then all zero. */
  readonly ensemble?: { readonly members: number; readonly macs: number | null };
}

const isDir = (p: string): Promise<boolean> => fsp.stat(p).then((s) => s.isDirectory(), () => false);
const isFile = (p: string): Promise<boolean> => fsp.stat(p).then((s) => s.isFile(), () => false);

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await fsp.readFile(file, "utf8")) as T;
  } catch {
    return null;
  }
}

/** metrics.jsonl, the last line of each epoch winning (a resume rewrites from its checkpoint). */
async function readHistory(dir: string): Promise<EpochMetrics[]> {
  let text = "";
  try {
    text = await fsp.readFile(path.join(dir, FILES.metrics), "utf8");
  } catch {
    return [];
  }
  const byEpoch = new Map<number, EpochMetrics>();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const m = JSON.parse(line) as EpochMetrics;
      if (typeof m.epoch === "number") byEpoch.set(m.epoch, m);
    } catch {
      /* a torn last line of a killed run */
    }
  }
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

const splitName = (rule: SplitRuleIR | undefined, fallback: string): string => (rule?.kind === "usage" ? rule.value : fallback);

const damagedRow = (id: string, dir: string, err: unknown): RunRow => ({
  id, dir, spec: "?", status: "damaged", backend: "?", startedAt: "", epochs: { done: 0, planned: 0, best: 0 }, trainingMs: 0, val: null, test: null, params: null, overrides: [], problem: err instanceof Error ? err.message : String(err),
});

/**
 * An ensemble record as a row: its name, its members' total parameters and training time, its
 * figures on val and test (the members' averaged probabilities); never throws.
 */
export async function readEnsembleRow(dir: string, id = path.basename(dir)): Promise<RunRow> {
  let m;
  try {
    m = await readEnsembleManifest(dir);
  } catch (err) {
    return damagedRow(id, dir, err);
  }
  return {
    id,
    dir,
    spec: m.name,
    status: "ensemble",
    backend: m.backend,
    startedAt: m.createdAt,
    epochs: { done: 0, planned: 0, best: 0 },
    trainingMs: m.totals.trainingMs,
    val: m.val ? { split: m.val.split, acc: m.val.acc, n: m.val.n } : null,
    test: m.test ? { split: m.test.split, acc: m.test.acc, n: m.test.n } : null,
    params: m.totals.params,
    overrides: [],
    ensemble: { members: m.members.length, macs: m.totals.macs },
  };
}

/** One record as a row; never throws. */
export async function readRunRow(dir: string, id = path.basename(dir)): Promise<RunRow> {
  if (await isFile(path.join(dir, ENSEMBLE_MANIFEST))) return readEnsembleRow(dir, id);
  let m;
  try {
    m = await readManifest(dir);
  } catch (err) {
    return damagedRow(id, dir, err);
  }
  const spec = await readJson<SpecIR>(path.join(dir, FILES.ir));
  const report = await readJson<{ data?: { val?: number; test?: number } }>(path.join(dir, FILES.reportJson));
  const history = await readHistory(dir);
  const kept = history.find((e) => e.epoch === m.bestEpoch);
  const split = spec?.dataset?.split;
  return {
    id,
    dir,
    spec: m.spec,
    status: m.status,
    ...(m.reason ? { reason: m.reason } : {}),
    backend: m.backend,
    startedAt: m.startedAt,
    epochs: { done: m.epochsDone, planned: m.epochsPlanned, best: m.bestEpoch },
    trainingMs: history.reduce((s, e) => s + e.timeMs, 0),
    val: kept?.valAcc !== undefined ? { split: splitName(split?.val, "val"), acc: kept.valAcc, n: report?.data?.val ?? null } : null,
    test: m.test ? { split: splitName(split?.test, "test"), acc: m.test.acc, n: m.test.n } : null,
    params: typeof spec?.totals?.total === "number" ? spec.totals.total : null,
    overrides: overridesOf(m).map(overrideText),
  };
}

/** The records under `folder`: its run directories, its sweeps' trials (`<sweep>/tN`), or the folder itself. */
export async function listRuns(folder: string): Promise<RunRow[]> {
  if ((await isFile(path.join(folder, FILES.manifest))) || (await isFile(path.join(folder, ENSEMBLE_MANIFEST)))) return [await readRunRow(folder)];
  if (await isFile(path.join(folder, SWEEP_FILE))) return sweepRows(folder, "");
  let names: string[];
  try {
    names = (await fsp.readdir(folder)).filter((n) => !n.startsWith(".")).sort();
  } catch (err) {
    throw new RunsFolderError(`${folder}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such directory" : "cannot be read"}`);
  }
  const rows: RunRow[] = [];
  for (const n of names) {
    const dir = path.join(folder, n);
    if (!(await isDir(dir))) continue;
    if ((await isFile(path.join(dir, FILES.manifest))) || (await isFile(path.join(dir, ENSEMBLE_MANIFEST)))) rows.push(await readRunRow(dir));
    else if (await isFile(path.join(dir, SWEEP_FILE))) rows.push(...(await sweepRows(dir, `${n}/`)));
  }
  return rows;
}

async function sweepRows(sweep: string, prefix: string): Promise<RunRow[]> {
  let state;
  try {
    state = await readSweepState(sweep);
  } catch {
    return [];
  }
  const rows: RunRow[] = [];
  for (const t of state.trials) if (t.runDir) rows.push(await readRunRow(path.join(sweep, t.runDir), `${prefix}${t.id}`));
  return rows;
}

/** A folder `ferc runs` cannot read (exit 2). */
export class RunsFolderError extends FercError {
  override readonly name = "RunDirError";
  readonly kind = "input";
}

/** The keys `--sort` takes; accuracies sort best first, the rest ascending. */
export const SORT_KEYS = ["started", "id", "spec", "status", "epochs", "time", "params", "val.acc", "test.acc"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export function sortRuns(rows: readonly RunRow[], key: SortKey): RunRow[] {
  const by: Record<SortKey, (r: RunRow) => number | string> = {
    started: (r) => r.startedAt,
    id: (r) => r.id,
    spec: (r) => r.spec,
    status: (r) => r.status,
    epochs: (r) => r.epochs.done,
    time: (r) => r.trainingMs,
    params: (r) => r.params ?? -1,
    "val.acc": (r) => -(r.val?.acc ?? -1),
    "test.acc": (r) => -(r.test?.acc ?? -1),
  };
  const f = by[key];
  return [...rows].sort((a, b) => {
    const x = f(a), y = f(b);
    return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y))) || a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id);
  });
}

/** `--spec vgg-wide`: that spec exactly; `*` matches any run of characters (`--spec 'vgg-*'`). */
export function specFilter(pattern: string): (r: RunRow) => boolean {
  const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return (r) => re.test(r.spec);
}
