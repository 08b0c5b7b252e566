/**
 * Dashboard state as a pure reduction over trainer events, so the Ink view is a function of
 * state and both can be tested without a terminal.
 */
import type { EpochEndEvent, EvalResult, RunStartEvent, TrainEvent, DoneEvent, BatchEvent } from "../train/events.js";

export interface DashboardState {
  /** What the run is doing while there is nothing else to show (before run-start, before the first batch). */
  readonly phase: string | null;
  readonly start: RunStartEvent | null;
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: BatchEvent | null;
  readonly batches: number;
  readonly lr: number | null;
  readonly history: readonly EpochEndEvent[];
  readonly earlyStop: { readonly epoch: number; readonly bestEpoch: number; readonly restoredBest: boolean } | null;
  readonly nan: string | null;
  readonly interrupted: { readonly epoch: number; readonly batch: number } | null;
  readonly test: EvalResult | null;
  readonly done: DoneEvent | null;
}

/** Shown from run-start until the first batch ends: the first step is the slow one (kernel set-up). */
export const FIRST_BATCH_PHASE = "first batch (the backend warms up)";

export const initialDashboardState: DashboardState = {
  phase: null,
  start: null,
  epoch: 0,
  epochs: 0,
  batch: null,
  batches: 0,
  lr: null,
  history: [],
  earlyStop: null,
  nan: null,
  interrupted: null,
  test: null,
  done: null,
};

export function reduceDashboard(s: DashboardState, e: TrainEvent): DashboardState {
  switch (e.type) {
    case "phase":
      return { ...s, phase: e.message };
    case "run-start":
      // On resume the event carries the earlier epochs: the table and curves show the whole run.
      return { ...s, phase: FIRST_BATCH_PHASE, start: e, epochs: e.epochs, epoch: e.resumedFromEpoch ?? 0, history: e.history ?? [] };
    case "epoch-start":
      return { ...s, epoch: e.epoch, epochs: e.epochs, batches: e.batches, batch: null, lr: e.lr };
    case "batch":
      return { ...s, phase: null, batch: e, batches: e.batches };
    case "epoch-end":
      return { ...s, history: [...s.history, e] };
    case "early-stop":
      return { ...s, earlyStop: { epoch: e.epoch, bestEpoch: e.bestEpoch, restoredBest: e.restoredBest } };
    case "nan":
      return { ...s, nan: e.message };
    case "interrupted":
      return { ...s, interrupted: { epoch: e.epoch, batch: e.batch } };
    case "test-result": {
      const { type: _t, ...rest } = e;
      void _t;
      return { ...s, test: rest };
    }
    case "done":
      return { ...s, phase: null, done: e };
  }
}

/** A minimal external store for the live dashboard (useSyncExternalStore). */
export interface DashboardStore {
  dispatch(e: TrainEvent): void;
  getState(): DashboardState;
  subscribe(listener: () => void): () => void;
}

export function createDashboardStore(initial: DashboardState = initialDashboardState): DashboardStore {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    dispatch(e) {
      state = reduceDashboard(state, e);
      for (const l of listeners) l();
    },
    getState: () => state,
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
