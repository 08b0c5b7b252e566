/**
 * What a trial's run record says: its status (the record is the truth, not the exit code of the
 * process that wrote it), epochs, and the metrics of its best epoch by the sweep's monitor.
 */
import { promises as fsp } from "node:fs";
import * as path from "node:path";
import { readManifest, type RunManifest } from "../run/manifest.js";
import { readRecordText } from "../run/recordFiles.js";
import type { EpochMetrics } from "../train/events.js";
import { inferMode, monitorValue } from "../train/monitor.js";

export interface TrialOutcome {
  readonly manifest: RunManifest;
  readonly epochs: number;
  /** The best epoch by the monitor (1-based; 0 when no epoch finished). */
  readonly bestEpoch: number;
  /** The monitored value at that epoch (undefined before the first epoch). */
  readonly val?: number;
  readonly valAcc?: number;
  readonly valLoss?: number;
  readonly testAcc?: number;
}

/** The one run record under `trialDir/runs/` (the newest, should there be several). */
export async function findRunDir(trialDir: string): Promise<string | undefined> {
  const runs = path.join(trialDir, "runs");
  let names: string[];
  try {
    names = (await fsp.readdir(runs, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith(".")).map((d) => d.name);
  } catch {
    return undefined;
  }
  const withManifest: string[] = [];
  for (const n of names.sort()) {
    try {
      await fsp.access(path.join(runs, n, "run.yaml"));
      withManifest.push(n);
    } catch {
      /* a directory the run had only begun to create */
    }
  }
  const last = withManifest[withManifest.length - 1];
  return last === undefined ? undefined : path.join(runs, last);
}

async function readHistory(runDir: string): Promise<EpochMetrics[]> {
  let text: string;
  try {
    // A regular file inside the record only (see src/run/recordFiles.ts).
    text = await readRecordText(path.join(runDir, "metrics.jsonl"));
  } catch {
    return [];
  }
  const out: EpochMetrics[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as EpochMetrics);
    } catch {
      /* a torn last line of a killed run */
    }
  }
  // A resumed run appends from its checkpoint's epoch: the last line of each epoch wins.
  const byEpoch = new Map<number, EpochMetrics>();
  for (const m of out) byEpoch.set(m.epoch, m);
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

export async function readOutcome(runDir: string, monitor: string): Promise<TrialOutcome> {
  const manifest = await readManifest(runDir);
  const history = await readHistory(runDir);
  const mode = inferMode(monitor);
  let best: EpochMetrics | undefined;
  for (const m of history) {
    const v = monitorValue(m, monitor);
    if (!Number.isFinite(v)) continue;
    if (!best || (mode === "max" ? v > monitorValue(best, monitor) : v < monitorValue(best, monitor))) best = m;
  }
  return {
    manifest,
    epochs: manifest.epochsDone,
    bestEpoch: best?.epoch ?? 0,
    ...(best ? { val: monitorValue(best, monitor) } : {}),
    ...(best?.valAcc !== undefined ? { valAcc: best.valAcc } : {}),
    ...(best?.valLoss !== undefined ? { valLoss: best.valLoss } : {}),
    ...(manifest.test ? { testAcc: manifest.test.acc } : {}),
  };
}
