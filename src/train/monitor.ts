/**
 * Monitored quantities (`val.loss`, `val.acc`, `loss`, `acc`) shared by early stopping, the
 * plateau schedule and best-checkpoint selection, so all three agree on what "better" means.
 */
import type { EpochMetrics } from "./events.js";

export type Mode = "min" | "max";

/** Accuracy-like monitors improve upwards, losses downwards. */
export function inferMode(monitor: string): Mode {
  return /acc/.test(monitor) ? "max" : "min";
}

/**
 * The monitored value of one epoch. A `val.*` monitor falls back to the training metric when the
 * run has no validation split, rather than never improving.
 */
export function monitorValue(m: EpochMetrics, monitor: string): number {
  switch (monitor) {
    case "val.loss":
    case "val_loss":
      return m.valLoss ?? m.loss;
    case "val.acc":
    case "val_acc":
    case "val.accuracy":
      return m.valAcc ?? m.acc;
    case "acc":
    case "accuracy":
      return m.acc;
    case "loss":
      return m.loss;
    default:
      throw new Error(`unknown monitor '${monitor}' (expected val.loss, val.acc, loss or acc)`);
  }
}

/** True when `value` beats `best` by more than `minDelta` in the monitor's direction. */
export function isImprovement(value: number, best: number | null, mode: Mode, minDelta = 0): boolean {
  if (!Number.isFinite(value)) return false;
  if (best === null) return true;
  return mode === "min" ? value < best - minDelta : value > best + minDelta;
}
