/**
 * Dashboard state as a pure reduction over trainer events, so the Ink view is a function of
 * state and both can be tested without a terminal.
 */
import type { EpochEndEvent, EvalResult, RunStartEvent, TrainEvent, DoneEvent, BatchEvent } from "../train/events.js";

export interface DashboardState {
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

export const initialDashboardState: DashboardState = {
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
    case "run-start":
      return { ...s, start: e, epochs: e.epochs, epoch: e.resumedFromEpoch ?? 0 };
    case "epoch-start":
      return { ...s, epoch: e.epoch, epochs: e.epochs, batches: e.batches, batch: null, lr: e.lr };
    case "batch":
      return { ...s, batch: e, batches: e.batches };
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
      return { ...s, done: e };
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
