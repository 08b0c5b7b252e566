/**
 * Early stopping and best-epoch tracking as a pure state machine over epoch metrics, so it resumes
 * from a checkpoint and is testable without a model.
 */
import type { EarlyStopIR } from "../ir.js";
import type { EpochMetrics } from "./events.js";
import { isImprovement, monitorValue, type Mode } from "./monitor.js";

export interface BestTracker {
  readonly monitor: string;
  readonly mode: Mode;
  readonly minDelta: number;
  /** 0 = early stopping off (the tracker still picks the best checkpoint). */
  readonly patience: number;
}

export interface BestState {
  best: number | null;
  /** 1-based; 0 when no epoch has been finite yet. */
  bestEpoch: number;
  /** Epochs since the last improvement. */
  wait: number;
}

export function initialBestState(): BestState {
  return { best: null, bestEpoch: 0, wait: 0 };
}

/** The tracker for a run: early stopping's monitor when set, else val.loss (or loss without val). */
export function makeTracker(earlyStop: EarlyStopIR | undefined, hasVal: boolean): BestTracker {
  if (earlyStop) {
    return { monitor: earlyStop.monitor, mode: earlyStop.mode, minDelta: earlyStop.minDelta, patience: earlyStop.patience };
  }
  return { monitor: hasVal ? "val.loss" : "loss", mode: "min", minDelta: 0, patience: 0 };
}

export interface BestStep {
  readonly state: BestState;
  readonly improved: boolean;
  /** Early stopping fires (only with patience > 0). */
  readonly stop: boolean;
}

export function updateBest(tracker: BestTracker, state: BestState, metrics: EpochMetrics): BestStep {
  const value = monitorValue(metrics, tracker.monitor);
  if (isImprovement(value, state.best, tracker.mode, tracker.minDelta)) {
    return { state: { best: value, bestEpoch: metrics.epoch, wait: 0 }, improved: true, stop: false };
  }
  const wait = state.wait + 1;
  return { state: { ...state, wait }, improved: false, stop: tracker.patience > 0 && wait >= tracker.patience };
}

/** Epochs left before stopping, for display; undefined when early stopping is off. */
export function patienceLeft(tracker: BestTracker, state: BestState): number | undefined {
  return tracker.patience > 0 ? Math.max(0, tracker.patience - state.wait) : undefined;
}
