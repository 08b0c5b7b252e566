/**
 * On resume, the epochs trained before, as the `epoch-end` rows the trainer emitted then, so the
 * dashboard shows the whole history (table, curves, best epoch, patience) and not just the new
 * epochs. Best epoch and patience are replayed with the trainer's own tracker, so they match.
 */
import type { TrainIR } from "../ir.js";
import type { EpochEndEvent } from "../train/events.js";
import { initialBestState, makeTracker, patienceLeft, updateBest } from "../train/earlyStop.js";
import type { TrainerState } from "../train/state.js";

export function replayHistory(train: TrainIR, hasVal: boolean, state: TrainerState): EpochEndEvent[] {
  const tracker = makeTracker(train.earlyStop, hasVal);
  let best = initialBestState();
  return state.history.map((m) => {
    const step = updateBest(tracker, best, m);
    best = step.state;
    return {
      type: "epoch-end",
      ...m,
      epochs: train.epochs,
      bestEpoch: best.bestEpoch,
      monitor: tracker.monitor,
      improved: step.improved,
      patienceLeft: patienceLeft(tracker, best),
    };
  });
}

/** Training time the earlier processes spent: finished epochs plus the part of an interrupted one. */
export function priorTrainingMs(state: TrainerState): number {
  return state.history.reduce((sum, m) => sum + m.timeMs, 0) + (state.inProgress?.elapsedMs ?? 0);
}
