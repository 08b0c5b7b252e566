/**
 * TensorBoard logs of a run, fed by the run's own events (the ones the dashboard draws), so
 * `tensorboard --logdir runs` shows ferc runs beside Keras and PyTorch ones: every run writes
 * `runs/<id>/tensorboard/events.out.tfevents.*` (a resumed run adds a file) with
 *   - scalars per epoch (step = epoch): train/loss, train/accuracy, train/learning_rate,
 *     val/loss, val/accuracy, val_recall/<class>;
 *   - train/batch_loss, the epoch's running mean loss as the dashboard shows it, at the first
 *     batch event past every N batches (step = batches trained; N = 50, or a fifth of a shorter epoch);
 *   - after testing: test/accuracy, test/loss, test/macro_f1 and the confusion matrix as a PNG
 *     image, test/confusion_matrix (step = the last epoch);
 *   - the hparams plugin's session (HParams tab): the spec as run, flattened, at the start, and
 *     how the run ended at its end (a stopped run leaves the session open for its resume).
 * Logging never fails a run: the first write error stops the logging and is kept in `error`.
 */
import * as path from "node:path";
import type { SpecIR } from "../ir.js";
import type { EventSink, TrainEvent } from "../train/events.js";
import { withoutSpans } from "../diff/normalize.js";
import { showValue } from "../diff/values.js";
import type { DiffValue } from "../diff/types.js";
import { EventFileWriter } from "../tensorboard/writer.js";
import type { HParamValue } from "../tensorboard/proto.js";
import { confusionPng } from "../report/confusionPng.js";
import { sourceText } from "./asRun.js";
import type { RunOverride } from "./manifest.js";

export const TENSORBOARD_DIR = "tensorboard";

export interface TensorBoardOptions {
  /** The spec as run (src/run/asRun.ts). */
  readonly spec: SpecIR;
  readonly overrides: readonly RunOverride[];
  /** Log the running training loss every this many batches (default 50). */
  readonly batchEvery?: number;
  /** Wall clock in ms (tests). */
  readonly clock?: () => number;
}

export interface TensorBoardLog {
  /** Feed it every event of the run. */
  readonly onEvent: EventSink;
  close(): void;
  /** The event file, once the run has started. */
  readonly file: string | undefined;
  /** Why logging stopped, when a write failed. */
  readonly error: string | undefined;
}

/** Leaves of `v` as `prefix.key` → a number, boolean or short text (lists and variants as ferc diff prints them). */
function flatten(prefix: string, v: DiffValue | undefined, out: Record<string, HParamValue>): void {
  if (v === undefined || v === null) return;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "string") {
    out[prefix] = v;
    return;
  }
  if (Array.isArray(v)) {
    out[prefix] = showValue(v);
    return;
  }
  for (const [k, x] of Object.entries(v)) flatten(k === "kind" ? prefix : `${prefix}.${k}`, x, out);
}

/** The run's hyperparameters: the training policy, augmentation, data and model size as run, and run options. */
export function runHParams(spec: SpecIR, overrides: readonly RunOverride[], extra: Readonly<Record<string, HParamValue>> = {}): Record<string, HParamValue> {
  const out: Record<string, HParamValue> = {};
  flatten("train", withoutSpans(spec.train) as unknown as DiffValue, out);
  const { declared, ...augment } = withoutSpans(spec.augment);
  out["augment"] = declared;
  if (declared) flatten("augment", augment as unknown as DiffValue, out);
  out["data.source"] = sourceText(spec.dataset.source);
  out["data.input"] = spec.dataset.input.join("x");
  out["preprocess"] = spec.preprocess.steps.map((s) => ("mode" in s ? `${s.op} ${s.mode}` : s.op)).join(", ") || "none";
  out["model.params"] = spec.totals.total;
  out["model.layers"] = spec.model.layers.length;
  for (const o of overrides) if (o.flag === "limit" || o.flag === "time-limit") out[`run.${o.flag}`] = o.value;
  return { ...out, ...extra };
}

const tagSafe = (s: string): string => s.replace(/[^A-Za-z0-9_.\-/]/g, "_");

export function tensorBoardLog(o: TensorBoardOptions): TensorBoardLog {
  const clock = o.clock ?? Date.now;
  let writer: EventFileWriter | null = null;
  let file: string | undefined;
  let error: string | undefined;
  let classes: readonly string[] = o.spec.dataset.classes;
  let every = 1;
  let lastBatchStep = 0;
  let lastEpoch = 0;

  const handle = (e: TrainEvent): void => {
    if (e.type === "run-start") {
      if (e.runDir === undefined) return;
      writer = EventFileWriter.open(path.join(e.runDir, TENSORBOARD_DIR), clock);
      file = writer.path;
      classes = e.classes;
      lastEpoch = e.resumedFromEpoch ?? 0;
      writer.hparamsStart(runHParams(o.spec, o.overrides, { "run.backend": e.backend, ...(e.params !== undefined ? { "model.params": e.params } : {}) }), clock() / 1000);
      return;
    }
    const w = writer;
    if (!w) return;
    switch (e.type) {
      case "epoch-start":
        every = Math.max(1, Math.min(o.batchEvery ?? 50, Math.ceil(e.batches / 5)));
        lastBatchStep = (e.epoch - 1) * e.batches;
        return;
      case "batch": {
        const step = (e.epoch - 1) * e.batches + e.batch;
        if (Math.floor(step / every) > Math.floor(lastBatchStep / every)) w.scalars(step, { "train/batch_loss": e.loss });
        lastBatchStep = step;
        return;
      }
      case "epoch-end": {
        lastEpoch = e.epoch;
        const recall = Object.fromEntries((e.valRecall ?? []).map((r, i) => [`val_recall/${tagSafe(classes[i] ?? String(i))}`, r]));
        w.scalars(e.epoch, {
          "train/loss": e.loss,
          "train/accuracy": e.acc,
          "train/learning_rate": e.lr,
          ...(e.valLoss !== undefined ? { "val/loss": e.valLoss } : {}),
          ...(e.valAcc !== undefined ? { "val/accuracy": e.valAcc } : {}),
          ...recall,
        });
        return;
      }
      case "test-result": {
        w.scalars(lastEpoch, { "test/accuracy": e.acc, "test/loss": e.loss, "test/macro_f1": e.macroF1 });
        const img = confusionPng(e);
        w.image(lastEpoch, "test/confusion_matrix", img.png, img.width, img.height);
        return;
      }
      case "done":
        // A stopped run is resumed later: its session stays open until then.
        if (e.status !== "stopped") w.hparamsEnd(e.status === "completed" ? "success" : "failure", clock() / 1000);
        w.close();
        writer = null;
        return;
      default:
        return;
    }
  };

  return {
    onEvent(e) {
      if (error !== undefined) return;
      try {
        handle(e);
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
        writer?.close();
        writer = null;
      }
    },
    close() {
      writer?.close();
      writer = null;
    },
    get file() {
      return file;
    },
    get error() {
      return error;
    },
  };
}
