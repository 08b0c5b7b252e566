/**
 * Learning-rate schedules, evaluated once per epoch. Pure functions over a small JSON state so
 * the schedule resumes exactly from a checkpoint.
 */
import type { ScheduleIR } from "../ir.js";
import type { EpochMetrics } from "./events.js";
import { inferMode, isImprovement, monitorValue } from "./monitor.js";

export interface ScheduleState {
  /** Learning rate in force (only the plateau schedule carries it across epochs). */
  lr: number;
  /** Plateau: best monitored value and epochs without improvement. */
  best: number | null;
  wait: number;
}

export function initialScheduleState(baseLr: number): ScheduleState {
  return { lr: baseLr, best: null, wait: 0 };
}

/**
 * Learning rate for 0-based `epoch` of `epochs`. Step: base·factor^⌊epoch/every⌋. Cosine: linear
 * warmup over `warmup` epochs (reaching base at the end of warmup), then half a cosine from base
 * down to minLr at the last epoch. Cosine-restarts (SGDR): the same half cosine over cycles of
 * period, period·mult, ... epochs. One-cycle: base/div rising to base at `peak`, then falling to
 * base/(div·finalDiv) at the last epoch. Plateau: whatever `state.lr` holds.
 */
export function lrForEpoch(schedule: ScheduleIR, baseLr: number, epoch: number, epochs: number, state: ScheduleState): number {
  switch (schedule.kind) {
    case "constant":
      return baseLr;
    case "plateau":
      return state.lr;
    case "step":
      return baseLr * Math.pow(schedule.factor, Math.floor(epoch / Math.max(1, schedule.every)));
    case "cosine": {
      const warmup = Math.max(0, Math.floor(schedule.warmup));
      if (epoch < warmup) return (baseLr * (epoch + 1)) / warmup;
      const span = Math.max(1, epochs - warmup - 1);
      const t = Math.min(1, (epoch - warmup) / span);
      return schedule.minLr + ((baseLr - schedule.minLr) * (1 + Math.cos(Math.PI * t))) / 2;
    }
    case "cosine-restarts": {
      // Cycle i is period·mult^i epochs long; each starts again at base and ends at minLr.
      let start = 0;
      let len = Math.max(1, schedule.period);
      while (epoch >= start + len) {
        start += len;
        len *= Math.max(1, schedule.mult);
      }
      const t = len > 1 ? (epoch - start) / (len - 1) : 0;
      return schedule.minLr + ((baseLr - schedule.minLr) * (1 + Math.cos(Math.PI * t))) / 2;
    }
    case "one-cycle": {
      // Half a cosine up from base/div to base by `peak` of the run, half a cosine down after.
      const lo = baseLr / schedule.div;
      const end = lo / schedule.finalDiv;
      const p = epochs > 1 ? epoch / (epochs - 1) : 1;
      if (p <= schedule.peak) return lo + ((baseLr - lo) * (1 - Math.cos((Math.PI * p) / schedule.peak))) / 2;
      const q = (p - schedule.peak) / (1 - schedule.peak);
      return end + ((baseLr - end) * (1 + Math.cos(Math.PI * q))) / 2;
    }
  }
}

/**
 * Fold one finished epoch into the state. Only plateau reacts: after `patience` epochs without
 * improvement the rate drops by `factor` (not below minLr) and the wait restarts.
 */
export function updateSchedule(schedule: ScheduleIR, state: ScheduleState, metrics: EpochMetrics): ScheduleState {
  if (schedule.kind !== "plateau") return state;
  const value = monitorValue(metrics, schedule.monitor);
  const mode = inferMode(schedule.monitor);
  if (isImprovement(value, state.best, mode)) return { ...state, best: value, wait: 0 };
  const wait = state.wait + 1;
  if (wait >= schedule.patience) {
    return { ...state, lr: Math.max(schedule.minLr, state.lr * schedule.factor), wait: 0 };
  }
  return { ...state, wait };
}
