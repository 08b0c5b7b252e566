/**
 * The machine's measured training speed, so `ferc check` can estimate seconds per epoch before a
 * run starts. `ferc run` records, per backend, the multiply-adds per wall second it achieved: train
 * images x forward multiply-adds per image / median epoch wall time (the whole epoch: forward,
 * backward, augmentation, validation). `ferc check` divides another spec's train images x
 * multiply-adds by that rate. An estimate: it assumes the cost scales with multiply-adds, which
 * holds roughly for conv nets of similar shape on the same backend and threads. Plain fs, no tfjs.
 */
import { readFileSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { makeDirs } from "../util/mkdirs.js";

export interface CalibrationEntry {
  /** Forward multiply-adds of training images per wall second, whole epochs. */
  readonly macsPerSecond: number;
  readonly spec: string;
  readonly runId: string;
  readonly trainImages: number;
  readonly medianEpochSeconds: number;
  readonly epochs: number;
  readonly kernels?: string;
  readonly measuredAt: string;
}

export interface Calibration {
  readonly version: 1;
  /** By backend name; the latest run on each backend. */
  readonly backends: Readonly<Record<string, CalibrationEntry>>;
}

export const CALIBRATION_FILE = "calibration.json";

export function calibrationPath(cacheDir: string): string {
  return join(cacheDir, CALIBRATION_FILE);
}

/** The calibration file, or null when there is none or it is not one (never an error: it is only an estimate's input). */
export function readCalibration(file: string): Calibration | null {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null || (v as { version?: unknown }).version !== 1) return null;
  const backends = (v as { backends?: unknown }).backends;
  if (typeof backends !== "object" || backends === null) return null;
  const ok = Object.values(backends).every((e) => typeof e === "object" && e !== null && Number.isFinite((e as CalibrationEntry).macsPerSecond) && (e as CalibrationEntry).macsPerSecond > 0);
  return ok ? (v as Calibration) : null;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Epochs shorter than this (median) are not a measurement of the machine: fixed costs per epoch
 * and per batch dominate them (a demo or a `--limit` smoke run), so they would misstate the rate.
 * `FERC_CALIBRATION_MIN_EPOCH_S` overrides it (tests).
 */
export function minEpochSeconds(): number {
  const v = Number(process.env.FERC_CALIBRATION_MIN_EPOCH_S);
  return Number.isFinite(v) && v >= 0 && process.env.FERC_CALIBRATION_MIN_EPOCH_S !== "" ? v : 5;
}

/** Fewer train images than this measure per-batch overheads, not the machine (test fixtures, tiny sets). */
export const MIN_CALIBRATION_IMAGES = 1000;

/** The entry for a run so far; undefined when it says nothing (no epoch, no multiply-adds, too few images, epochs too short). */
export function calibrationEntry(a: { spec: string; runId: string; trainImages: number; macsPerImage: number; epochMs: readonly number[]; kernels?: string; now?: Date; minSeconds?: number }): CalibrationEntry | undefined {
  if (a.epochMs.length === 0 || a.macsPerImage <= 0 || a.trainImages < MIN_CALIBRATION_IMAGES) return undefined;
  const seconds = median(a.epochMs) / 1000;
  if (!(seconds > 0) || seconds < (a.minSeconds ?? minEpochSeconds())) return undefined;
  return {
    macsPerSecond: (a.trainImages * a.macsPerImage) / seconds,
    spec: a.spec,
    runId: a.runId,
    trainImages: a.trainImages,
    medianEpochSeconds: seconds,
    epochs: a.epochMs.length,
    ...(a.kernels ? { kernels: a.kernels } : {}),
    measuredAt: (a.now ?? new Date()).toISOString(),
  };
}

/** Store `entry` as the backend's calibration (atomically: a concurrent check reads the old or the new file). */
export async function writeCalibration(file: string, backend: string, entry: CalibrationEntry): Promise<void> {
  const old = readCalibration(file);
  const next: Calibration = { version: 1, backends: { ...(old?.backends ?? {}), [backend]: entry } };
  await makeDirs(dirname(file));
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(next, null, 2)}\n`);
  await rename(tmp, file);
}

export interface EpochEstimate {
  readonly seconds: number;
  readonly trainImages: number;
  readonly backend: string;
  readonly entry: CalibrationEntry;
}

/**
 * Seconds per epoch of a model with `macsPerImage` on `backend` (default: the most recently
 * measured one), for as many train images as the calibrating run had.
 */
export function estimateEpoch(cal: Calibration, macsPerImage: number, backend?: string): EpochEstimate | undefined {
  const pick = backend ?? Object.entries(cal.backends).sort((a, b) => b[1].measuredAt.localeCompare(a[1].measuredAt))[0]?.[0];
  const entry = pick === undefined ? undefined : cal.backends[pick];
  if (pick === undefined || entry === undefined) return undefined;
  return { seconds: (entry.trainImages * macsPerImage) / entry.macsPerSecond, trainImages: entry.trainImages, backend: pick, entry };
}
