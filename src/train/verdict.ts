/**
 * Why training ends, and the decision taken at each epoch end: train on, or stop and why. Kept
 * apart from the loop so the order of precedence is written down once.
 */

/** The trainer's stop reasons, with where they happened when that matters for the record. */
export type Stop =
  | { readonly reason: "epochs" }
  | { readonly reason: "time-limit" }
  | { readonly reason: "early-stop"; readonly epoch: number }
  /** `batch`: batches done in the epoch (1-based, as the event reports it). */
  | { readonly reason: "interrupted"; readonly epoch: number; readonly batch: number }
  /** `batch` 0-based; `what` names the value that stopped being finite. */
  | { readonly reason: "nan"; readonly epoch: number; readonly batch: number; readonly what: string };

export type Verdict = { readonly continue: true } | { readonly continue: false; readonly stop: Stop };

export interface EpochEnd {
  /** 0-based epoch that just ended. */
  readonly epoch: number;
  readonly epochs: number;
  /** Batches per epoch (an epoch-end interruption reports them all done). */
  readonly batches: number;
  /** Early stopping's patience ran out at this epoch. */
  readonly patienceOut: boolean;
  /** A stop was asked for (Ctrl-C, SIGTERM, closed output). */
  readonly aborted: boolean;
  /** Whether the training-time budget is spent; asked only when it decides (it reads the clock). */
  readonly timeUp: () => boolean;
}

const CONTINUE: Verdict = { continue: true };
const stop = (s: Stop): Verdict => ({ continue: false, stop: s });

/**
 * At an epoch end, first that applies: early stop, a requested stop, the time limit (not at the
 * last epoch, which ends as `epochs` anyway), the last epoch; else train on.
 */
export function epochVerdict(e: EpochEnd): Verdict {
  if (e.patienceOut) return stop({ reason: "early-stop", epoch: e.epoch });
  if (e.aborted) return stop({ reason: "interrupted", epoch: e.epoch, batch: e.batches });
  const last = e.epoch + 1 >= e.epochs;
  if (!last && e.timeUp()) return stop({ reason: "time-limit" });
  return last ? stop({ reason: "epochs" }) : CONTINUE;
}
