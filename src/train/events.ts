/**
 * Typed events the trainer and the run orchestration emit. Three consumers share them: the Ink
 * dashboard (src/ui/Dashboard.tsx), plain lines for CI (src/ui/plain.ts) and JSON Lines
 * (src/ui/jsonl.ts). Every event is plain JSON data so `--json` can write it as is.
 */
import type { AccuracyVerdict } from "../check/expect.js";

export interface SplitCounts {
  readonly train: number;
  readonly val: number;
  readonly test: number;
}

/** What the data pipeline's cleaning dropped, per reason. */
export interface CleaningSummary {
  readonly blank: number;
  readonly duplicates: number;
  /** Anything else the pipeline reports (unreadable rows, ...), by reason. */
  readonly other?: Readonly<Record<string, number>>;
}

export interface RunStartEvent {
  readonly type: "run-start";
  readonly spec: string;
  readonly backend: string;
  readonly backendReason?: string;
  /** Which kernels the backend computes with: "native AVX2, 2 threads", "portable (why)". */
  readonly kernels?: string;
  readonly runDir?: string;
  readonly counts: SplitCounts;
  /** Per-split class counts, indexed like `classes`. */
  readonly classCounts?: { readonly train: readonly number[]; readonly val: readonly number[]; readonly test: readonly number[] };
  readonly classes: readonly string[];
  readonly cleaning: CleaningSummary;
  readonly augment: boolean;
  /** Distillation: the teacher and where its targets came from. */
  readonly distill?: DistillInfo;
  readonly epochs: number;
  readonly batch: number;
  readonly params?: number;
  /** Set when this run continues an earlier one. */
  readonly resumedFromEpoch?: number;
  /** On resume: the epochs trained before, so a consumer can show the whole history. */
  readonly history?: readonly EpochEndEvent[];
}

/** What a run is doing before its first batch, which can take seconds (FER2013: loading and cleaning 35k images). */
export interface DistillInfo {
  /** The teacher record, as the run directory's run.yaml has it (relative). */
  readonly teacher: string;
  readonly kind: "ensemble" | "run";
  readonly members: number;
  readonly temperature: number;
  readonly weight: number;
  /** The targets came from the cache (else they were computed this time). */
  readonly cached: boolean;
  /** `targets per-view`: the teacher sees every training batch as the student does. */
  readonly perView?: boolean;
}

/** `distill: teacher ../x (ensemble of 3, targets cached), T 4, A 0.9`. */
export const distillText = (d: DistillInfo): string =>
  `teacher ${d.teacher} (${d.kind === "ensemble" ? `ensemble of ${d.members}` : "a run"}, targets ${d.perView ? "per view, every step" : d.cached ? "from the cache" : "computed"}), temperature ${d.temperature}, weight ${d.weight}`;

export interface PhaseEvent {
  readonly type: "phase";
  readonly phase: "data" | "preprocess" | "model";
  /** For people: "loading and cleaning data (fer2013.csv.gz)". */
  readonly message: string;
}

export interface EpochStartEvent {
  readonly type: "epoch-start";
  /** 1-based. */
  readonly epoch: number;
  readonly epochs: number;
  readonly lr: number;
  readonly batches: number;
}

export interface BatchEvent {
  readonly type: "batch";
  readonly epoch: number;
  readonly epochs: number;
  /** 1-based index of the batch just finished. */
  readonly batch: number;
  readonly batches: number;
  /** Images per second over this epoch so far. */
  readonly imagesPerSec: number;
  /** Running (epoch-so-far) training loss and accuracy. */
  readonly loss: number;
  readonly acc: number;
  /** Estimated seconds left in the whole run (this epoch and the remaining ones). */
  readonly etaSec: number;
}

export interface EpochMetrics {
  /** 1-based. */
  readonly epoch: number;
  readonly loss: number;
  readonly acc: number;
  readonly valLoss?: number;
  readonly valAcc?: number;
  /** Validation recall of each class (indexed like the spec's classes), for per-class curves. */
  readonly valRecall?: readonly number[];
  readonly lr: number;
  readonly timeMs: number;
}

export interface EpochEndEvent extends EpochMetrics {
  readonly type: "epoch-end";
  readonly epochs: number;
  /** Epoch (1-based) with the best monitored value so far; 0 when none yet. */
  readonly bestEpoch: number;
  readonly monitor: string;
  readonly improved: boolean;
  /** Epochs left before early stopping; undefined when early stopping is off. */
  readonly patienceLeft?: number;
}

export interface EarlyStopEvent {
  readonly type: "early-stop";
  readonly epoch: number;
  readonly bestEpoch: number;
  readonly monitor: string;
  readonly best: number;
  readonly restoredBest: boolean;
}

export interface NanEvent {
  readonly type: "nan";
  readonly epoch: number;
  readonly batch: number;
  readonly message: string;
  /** Epoch whose weights were kept (restored); 0 when there was no finite epoch. */
  readonly keptEpoch: number;
}

export interface InterruptedEvent {
  readonly type: "interrupted";
  readonly epoch: number;
  readonly batch: number;
  readonly checkpointSaved: boolean;
}

export interface ClassMetrics {
  readonly name: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export interface EvalResult {
  readonly split: string;
  readonly n: number;
  readonly loss: number;
  readonly acc: number;
  readonly perClass: readonly ClassMetrics[];
  readonly macroF1: number;
  /** confusion[true][predicted] counts. */
  readonly confusion: readonly (readonly number[])[];
  readonly classes: readonly string[];
  /** Present when predictions were averaged over test-time views. */
  readonly tta?: "flip" | "ten-crop";
}

export interface TestResultEvent extends EvalResult {
  readonly type: "test-result";
}

export type RunStatus = "running" | "completed" | "stopped" | "failed";

export interface DoneEvent {
  readonly type: "done";
  readonly status: RunStatus;
  /** Why it ended: `epochs`, `early-stop`, `nan`, `interrupted`, `error`. */
  readonly reason: string;
  readonly epochsDone: number;
  readonly bestEpoch: number;
  readonly testAcc?: number;
  readonly runDir?: string;
  /** Wall time of this process, plus on resume the training time of the processes before it. */
  readonly elapsedMs: number;
  readonly message?: string;
  /** Verdicts of the spec's `expect { accuracy ... }` (absent when it has none). */
  readonly expectations?: readonly AccuracyVerdict[];
}

export type TrainEvent =
  | PhaseEvent
  | RunStartEvent
  | EpochStartEvent
  | BatchEvent
  | EpochEndEvent
  | EarlyStopEvent
  | NanEvent
  | InterruptedEvent
  | TestResultEvent
  | DoneEvent;

export type EventSink = (event: TrainEvent) => void;
