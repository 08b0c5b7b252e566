/**
 * The evaluation protocol of a run, as data: which split drove each choice the run makes (early
 * stopping, the plateau schedule, which epoch is "best", restore-best, test-time augmentation).
 * Recorded in run.yaml and report.json so a reader can see that the test split chose nothing;
 * `ferc check` refuses a spec whose monitor is a test metric (src/sections/train.ts).
 */
import type { TrainIR } from "../ir.js";

/** `none`: the choice is fixed in the spec, no split is looked at. */
export type ChoiceSplit = "val" | "train" | "none";

export interface Choice {
  readonly split: ChoiceSplit;
  /** The monitored metric, when a split drives the choice. */
  readonly monitor?: string;
  /** Why there is no split, or what is fixed. */
  readonly note?: string;
}

export interface Protocol {
  readonly earlyStop: Choice;
  readonly schedule: Choice;
  /** Which epoch's weights are kept as the best checkpoint (and reported as the best epoch). */
  readonly bestCheckpoint: Choice;
  readonly restoreBest: Choice;
  readonly tta: Choice;
  /** The test split's role: evaluated once, after training. */
  readonly test: string;
}

/** The split a monitor reads: `val.*` falls back to the training metric without a val split (src/train/monitor.ts). */
function splitOf(monitor: string, hasVal: boolean): ChoiceSplit {
  return monitor.startsWith("val") && hasVal ? "val" : "train";
}

const by = (monitor: string, hasVal: boolean): Choice => ({ split: splitOf(monitor, hasVal), monitor });

export function runProtocol(train: TrainIR, hasVal: boolean): Protocol {
  const es = train.earlyStop;
  // Without early-stop the best epoch is tracked on val.loss (loss without val): src/train/earlyStop.ts makeTracker.
  const tracked = es?.monitor ?? (hasVal ? "val.loss" : "loss");
  const s = train.schedule;
  return {
    earlyStop: es && es.patience > 0 ? by(es.monitor, hasVal) : { split: "none", note: es ? "patience 0: never stops early" : "no early-stop: runs all epochs" },
    schedule: s.kind === "plateau" ? by(s.monitor, hasVal) : { split: "none", note: `${s.kind}: fixed in advance` },
    bestCheckpoint: by(tracked, hasVal),
    restoreBest: es?.restoreBest ? by(tracked, hasVal) : { split: "none", note: "off: the last epoch's weights are tested" },
    tta: { split: "none", note: `${train.tta ?? "none"}: fixed in the spec` },
    test: "evaluated once, after training; drives no choice",
  };
}
