/**
 * Everything besides weights that a resumed run needs to continue exactly as if it had never
 * stopped. Plain JSON; written as `state.json` in each checkpoint directory.
 */
import type { EpochMetrics } from "./events.js";
import type { ScheduleState } from "./schedule.js";
import type { BestState } from "./earlyStop.js";

/** A checkpoint taken mid-epoch (Ctrl-C): enough to rebuild the epoch's order and running sums. */
export interface EpochProgress {
  /** 0-based epoch being trained. */
  readonly epoch: number;
  readonly batchesDone: number;
  /** Shuffle generator state before this epoch's shuffle, so the same order is redrawn. */
  readonly shuffleState: number[];
  readonly lossSum: number;
  readonly correct: number;
  readonly seen: number;
  readonly elapsedMs: number;
  readonly lr: number;
}

export interface TrainerState {
  readonly version: 1;
  /** Completed epochs. */
  readonly epochsDone: number;
  readonly inProgress?: EpochProgress;
  readonly rng: {
    /** Shuffle stream state at the start of the next epoch (after the last full epoch). */
    readonly shuffle: number[];
    readonly augment: number[];
    /** Stream feeding tfjs' Math.random (dropout masks). */
    readonly dropout: number[];
  };
  readonly schedule: ScheduleState;
  readonly best: BestState;
  readonly history: readonly EpochMetrics[];
}

export const TRAINER_STATE_VERSION = 1;

/** Light structural check when reading a checkpoint back, so a corrupt file fails clearly. */
export function parseTrainerState(json: unknown): TrainerState {
  const s = json as Partial<TrainerState> | null;
  if (
    !s ||
    s.version !== TRAINER_STATE_VERSION ||
    typeof s.epochsDone !== "number" ||
    !s.rng ||
    !Array.isArray(s.rng.shuffle) ||
    !s.schedule ||
    !s.best ||
    !Array.isArray(s.history)
  ) {
    throw new Error("checkpoint trainer state is malformed or from another ferc version");
  }
  return s as TrainerState;
}
