/**
 * What `ferc report` was pointed at: run records, or a sweep directory, whose trials' records are
 * reported together as one comparison (each labelled by its trial, with its changes from the base).
 */
import { promises as fsp } from "node:fs";
import * as path from "node:path";
import { readSweepState, SWEEP_FILE } from "../sweep/state.js";
import { loadReportRun, ReportError, type ReportRun } from "./htmlData.js";

export interface ReportSources {
  readonly runs: readonly ReportRun[];
  /** A heading for the comparison (a sweep's), when one fits better than "Comparison of N runs". */
  readonly title?: string;
  /** Trials that could not be included, in words. */
  readonly notes: readonly string[];
  /** At least one argument was a sweep: report as a comparison even if it had one trial. */
  readonly compare: boolean;
}

const isSweepDir = (dir: string): Promise<boolean> => fsp.stat(path.join(dir, SWEEP_FILE)).then((s) => s.isFile(), () => false);

export async function loadReportSources(args: readonly string[]): Promise<ReportSources> {
  const runs: ReportRun[] = [];
  const notes: string[] = [];
  let title: string | undefined;
  let sweeps = 0;
  for (const arg of args) {
    if (!(await isSweepDir(arg))) {
      runs.push(await loadReportRun(arg));
      continue;
    }
    sweeps++;
    let state;
    try {
      state = await readSweepState(arg);
    } catch (err) {
      throw new ReportError(err instanceof Error ? err.message : String(err));
    }
    title = `Sweep ${state.id}: ${state.trials.length} trials of ${state.spec} over ${state.vary.map((v) => v.path).join(", ")}`;
    for (const t of state.trials) {
      if (!t.runDir) {
        notes.push(`${t.id} (${t.changes.join("; ") || "the base spec"}): ${t.status}, no run record yet`);
        continue;
      }
      const changes = t.changes.length ? t.changes.join("; ") : "base";
      runs.push(await loadReportRun(path.join(arg, t.runDir), `${t.id}: ${changes}`));
    }
  }
  if (runs.length === 0) throw new ReportError(`${args.join(", ")}: no trial has a run record yet`);
  return { runs, ...(sweeps === 1 && args.length === 1 && title ? { title } : {}), notes, compare: sweeps > 0 || runs.length > 1 };
}
