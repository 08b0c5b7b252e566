/**
 * The training loop (not `model.fit`): seeded shuffling, optional augmentation of training
 * batches, weighted + label-smoothed cross-entropy, decoupled weight decay, per-epoch learning
 * rate schedule, validation, best tracking / early stopping, a NaN guard, cooperative stop
 * (AbortSignal) and exact resume. Disk I/O is left to hooks so the loop is testable in memory.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { TrainIR } from "../ir.js";
import { createRng, createRngFromState, type Rng } from "../util/rng.js";
import type { EpochMetrics, EventSink, TrainEvent } from "./events.js";
import { evaluateModel, type ArraySplit, type ImageShape } from "./evaluate.js";
import { resolveClassWeights } from "./classWeights.js";
import { releaseInferenceModel } from "../compile/fold.js";
import { makeBatchStep, type BatchStep, type BatchTeacher, type PendingStep } from "./step.js";
import { createOptimizer, exportOptimizerState, importOptimizerState, setLearningRate, type OptimizerState } from "./optimizer.js";
import { initialScheduleState, lrForEpoch, updateSchedule } from "./schedule.js";
import { initialBestState, makeTracker, patienceLeft, updateBest, type BestTracker } from "./earlyStop.js";
import { withSeededRandom } from "./seeded.js";
import { restoreWeights, snapshotWeights, type WeightSnapshot } from "./weights.js";
import { TRAINER_STATE_VERSION, type EpochProgress, type TrainerState } from "./state.js";
import { makeBatchAssembler, modelInputShape, type AugmentFn, type BatchAssembler } from "./batch.js";
import { epochVerdict, type Stop } from "./verdict.js";
import { WeightAverage, withoutAverage } from "./ema.js";

export type { AugmentFn } from "./batch.js";

export interface TrainerData {
  readonly train: ArraySplit;
  readonly val?: ArraySplit;
  readonly shape: ImageShape;
  readonly classes: readonly string[];
}

export interface CheckpointRequest {
  readonly kind: "last" | "best";
  readonly model: LayersModel;
  readonly state: TrainerState;
  readonly optimizer: OptimizerState;
}

export interface TrainerHooks {
  /** After each epoch's metrics are final (append to metrics.jsonl). */
  onEpoch?(metrics: EpochMetrics, state: TrainerState): Promise<void> | void;
  /** Persist a checkpoint; awaited before training continues, so weights are stable meanwhile. */
  checkpoint?(req: CheckpointRequest): Promise<void>;
}

export interface ResumePoint {
  readonly state: TrainerState;
  readonly optimizer: OptimizerState;
  readonly weights: WeightSnapshot;
  /** The best checkpoint's weights, for restore-best and the NaN guard. */
  readonly bestWeights?: WeightSnapshot;
}

export interface TrainOptions {
  readonly train: TrainIR;
  /** Built with `buildSeededModel` for repeatable initialisation. */
  readonly model: LayersModel;
  readonly data: TrainerData;
  readonly augment?: AugmentFn;
  /**
   * The model's HxW window of each image (`augment { random-crop HxW }`): random per image when
   * `augment` is given, the centre otherwise; validation uses the centre (or ten-crop).
   */
  readonly crop?: readonly [number, number];
  /** mixup α (`augment { mixup α }`), applied with `augment` only. */
  readonly mixup?: number;
  /**
   * Distillation (`train { distill ... }`): either the teacher's cached targets for each train
   * image, already softened by the temperature (src/distill/soft.ts), k per image in the split's
   * order, or (`targets per-view`) the teacher itself, asked for each batch's targets as the
   * student sees it (src/distill/viewTeacher.ts).
   */
  readonly distill?: { readonly temperature: number; readonly weight: number } & ({ readonly targets: Float32Array } | { readonly teacher: BatchTeacher });
  readonly onEvent?: EventSink;
  /** Abort = finish the current batch, checkpoint, return status `stopped`. */
  readonly signal?: AbortSignal;
  readonly hooks?: TrainerHooks;
  readonly resume?: ResumePoint;
  /** Minimum milliseconds between `batch` events (the last batch of an epoch always emits). Default 200. */
  readonly batchEventIntervalMs?: number;
  /**
   * Training-time budget of this call, in ms: at the first epoch end past it, training ends as
   * completed (reason `time-limit`), restoring the best weights when the policy says restore-best.
   */
  readonly timeLimitMs?: number;
  /** Test hook: called (and awaited) before each batch with (epoch0, batch0). */
  readonly beforeBatch?: (epoch: number, batch: number) => void | Promise<void>;
  readonly now?: () => number;
}

export type TrainReason = "epochs" | "early-stop" | "time-limit" | "nan" | "interrupted";

export interface TrainResult {
  readonly status: "completed" | "stopped" | "failed";
  readonly reason: TrainReason;
  readonly message?: string;
  readonly epochsDone: number;
  readonly bestEpoch: number;
  readonly history: readonly EpochMetrics[];
  readonly state: TrainerState;
}

/** Independent streams from one seed; createRng's splitmix expansion decorrelates them. */
const STREAM = { init: 0x1f3a5c7e, shuffle: 0x2b4d6f81, augment: 0x3c5e7092, dropout: 0x4d6f81a3 } as const;

export function streamRng(seed: number, stream: keyof typeof STREAM): Rng {
  return createRng((seed ^ STREAM[stream]) | 0);
}

/** Calls the model factory with Math.random seeded, so weight initialisation is repeatable. */
export function buildSeededModel(factory: () => LayersModel, seed: number): LayersModel {
  return withSeededRandom(streamRng(seed, "init"), factory);
}

export function initialTrainerState(train: TrainIR): TrainerState {
  return {
    version: TRAINER_STATE_VERSION,
    epochsDone: 0,
    rng: {
      shuffle: streamRng(train.seed, "shuffle").getState(),
      augment: streamRng(train.seed, "augment").getState(),
      dropout: streamRng(train.seed, "dropout").getState(),
    },
    schedule: initialScheduleState(train.optimizer.lr),
    best: initialBestState(),
    history: [],
  };
}


function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** One training run in progress: its fixed parts and the state the epochs move on. */
interface Session {
  readonly opts: TrainOptions;
  readonly ir: TrainIR;
  readonly model: LayersModel;
  readonly data: TrainerData;
  readonly emit: (e: TrainEvent) => void;
  readonly now: () => number;
  /** Minimum ms between batch events. */
  readonly interval: number;
  readonly trainStart: number;
  readonly n: number;
  readonly batchSize: number;
  readonly batches: number;
  readonly tracker: BestTracker;
  readonly optimizer: tf.Optimizer;
  readonly ema: WeightAverage | null;
  readonly augmentRng: Rng;
  readonly dropoutRng: Rng;
  readonly step: BatchStep;
  readonly nextBatch: BatchAssembler;
  state: TrainerState;
  /** The best epoch's weights (restore-best, the NaN guard), or null before a finite epoch. */
  bestWeights: WeightSnapshot | null;
}

/** The loop: epochs until a verdict says stop; then `finish` settles the weights and reports once. */
export async function trainModel(opts: TrainOptions): Promise<TrainResult> {
  const s = await openSession(opts);
  try {
    for (let epoch = s.state.epochsDone; epoch < s.ir.epochs; epoch++) {
      const stop = await runEpoch(s, epoch);
      if (stop) return finish(s, stop);
    }
    // A resumed run whose epochs were all done ends here without training.
    return finish(s, { reason: "epochs" });
  } finally {
    s.optimizer.dispose();
    s.ema?.dispose();
    // The per-epoch evaluations' folded inference copy (compile/fold.ts) is the trainer's to free.
    releaseInferenceModel(s.model);
  }
}

/** Sizes, optimizer, restored resume point, random streams, batch step and buffers. */
async function openSession(opts: TrainOptions): Promise<Session> {
  const { train: ir, model, data } = opts;
  const emit = (e: TrainEvent): void => opts.onEvent?.(e);
  const now = opts.now ?? (() => performance.now());
  const trainStart = now();
  const k = data.classes.length;
  const n = data.train.n;
  if (n === 0) throw new Error("the train split is empty; nothing to train on");
  const cachedTargets = opts.distill && "targets" in opts.distill ? opts.distill.targets : undefined;
  if (cachedTargets && cachedTargets.length !== n * k) throw new Error(`distillation: ${cachedTargets.length / k} teacher targets for ${n} train images`);
  const batchSize = Math.max(1, Math.min(ir.batch, n));
  const batches = Math.ceil(n / batchSize);
  const classWeights = resolveClassWeights(ir.classWeights, data.train.labels, k);
  const tracker = makeTracker(ir.earlyStop, data.val !== undefined && data.val.n > 0);

  const optimizer = createOptimizer(ir.optimizer);
  const state: TrainerState = opts.resume?.state ?? initialTrainerState(ir);
  if (opts.resume) {
    if (opts.resume.optimizer.kind !== ir.optimizer.kind && opts.resume.optimizer.tensors.length > 0) {
      throw new Error(`checkpoint was trained with ${opts.resume.optimizer.kind}, the spec now says ${ir.optimizer.kind}`);
    }
    const p = opts.resume.state.inProgress;
    if (p && (p.batchesDone > batches || p.seen > n)) throw new Error("checkpoint does not match the training data (batch count differs)");
    restoreWeights(model, opts.resume.weights);
    await importOptimizerState(optimizer, withoutAverage(opts.resume.optimizer));
  }
  // After the resume block: a fresh average starts from the (restored) weights.
  const ema = ir.ema ? new WeightAverage(model, ir.ema, opts.resume?.optimizer.tensors) : null;
  const augmentRng = createRngFromState(state.rng.augment);
  const dropoutRng = createRngFromState(state.rng.dropout);

  // The model sees the crop window, when there is one: the step is built for that shape.
  const step = makeBatchStep(model, optimizer, {
    shape: modelInputShape(data.shape, opts.crop),
    classes: k,
    labelSmoothing: ir.labelSmoothing,
    weightDecay: ir.weightDecay,
    classWeights,
    dropoutRng,
    ...(opts.distill ? { distill: { temperature: opts.distill.temperature, weight: opts.distill.weight, ...("teacher" in opts.distill ? { teacher: opts.distill.teacher } : {}) } } : {}),
  });
  const nextBatch = makeBatchAssembler({
    train: data.train,
    shape: data.shape,
    batchSize,
    ...(opts.augment ? { augment: opts.augment } : {}),
    ...(opts.crop ? { crop: opts.crop } : {}),
    ...(opts.mixup !== undefined ? { mixup: opts.mixup } : {}),
    ...(cachedTargets ? { soft: { targets: cachedTargets, k } } : {}),
    rng: augmentRng,
  });
  return {
    opts, ir, model, data, emit, now, interval: opts.batchEventIntervalMs ?? 200, trainStart, n, batchSize, batches,
    tracker, optimizer, ema, augmentRng, dropoutRng, step, nextBatch, state, bestWeights: opts.resume?.bestWeights ?? null,
  };
}

/** Persist a checkpoint through the hook (with the average's tensors when there is one). */
async function checkpoint(s: Session, kind: "last" | "best", state: TrainerState): Promise<void> {
  if (!s.opts.hooks?.checkpoint) return;
  const optState = await exportOptimizerState(s.optimizer, s.ir.optimizer.kind);
  await s.opts.hooks.checkpoint({ kind, model: s.model, state, optimizer: s.ema ? await s.ema.withState(optState) : optState });
}

/** Train one epoch, validate, track the best, checkpoint; the stop it ends with, if any. */
async function runEpoch(s: Session, epoch: number): Promise<Stop | null> {
  const pass = await trainEpoch(s, epoch);
  if ("reason" in pass) return pass;
  const end = await endEpoch(s, epoch, pass);
  if ("reason" in end) return end;
  const verdict = epochVerdict({
    epoch,
    epochs: s.ir.epochs,
    batches: s.batches,
    patienceOut: end.patienceOut,
    aborted: s.opts.signal?.aborted === true,
    timeUp: () => s.opts.timeLimitMs !== undefined && s.now() - s.trainStart >= s.opts.timeLimitMs,
  });
  // The last epoch's verdict is `epochs`; the loop's own end says the same.
  return verdict.continue || verdict.stop.reason === "epochs" ? null : verdict.stop;
}

/** A step dispatched but not yet read: which batch, and how many images it had. */
interface QueuedStep {
  readonly pending: PendingStep;
  readonly batch: number;
  readonly m: number;
}

/** What an epoch's batches leave for its end: running sums and where the shuffle stream is. */
interface EpochPass {
  readonly lr: number;
  readonly lossSum: number;
  readonly correct: number;
  readonly seen: number;
  /** Training time of this epoch before this process (a resumed mid-epoch checkpoint's). */
  readonly priorMs: number;
  readonly t0: number;
  readonly nextShuffle: number[];
}

/** The epoch's batches (from a mid-epoch checkpoint's position on resume). */
async function trainEpoch(s: Session, epoch: number): Promise<EpochPass | Stop> {
  const { ir, n, batches, batchSize, emit, now } = s;
  const progress = s.state.inProgress?.epoch === epoch ? s.state.inProgress : undefined;
  // Re-draw this epoch's order from the state before its shuffle (identical on resume).
  const shuffleState = progress ? progress.shuffleState : s.state.rng.shuffle;
  const epochRng = createRngFromState(shuffleState);
  const order = epochRng.shuffle(Uint32Array.from({ length: n }, (_, i) => i));
  const lr = progress ? progress.lr : lrForEpoch(ir.schedule, ir.optimizer.lr, epoch, ir.epochs, s.state.schedule);
  setLearningRate(s.optimizer, lr);
  emit({ type: "epoch-start", epoch: epoch + 1, epochs: ir.epochs, lr, batches });

  let lossSum = progress?.lossSum ?? 0;
  let correct = progress?.correct ?? 0;
  let seen = progress?.seen ?? 0;
  const priorMs = progress?.elapsedMs ?? 0;
  const t0 = now();
  let lastEmit = -Infinity;
  const startBatch = progress?.batchesDone ?? 0;
  s.state = { ...s.state, inProgress: undefined };

  // A queued step whose outcome is read while the next one computes (see train/step.ts).
  let queued: QueuedStep | null = null;
  /** Fold a step's outcome into the epoch's sums and report progress; a NaN loss stops the epoch. */
  const settle = async (q: QueuedStep): Promise<Stop | null> => {
    const { loss: lossValue, correct: batchCorrect } = await q.pending.read();
    correct += batchCorrect;
    if (!Number.isFinite(lossValue)) return { reason: "nan", epoch, batch: q.batch, what: "training loss" };
    lossSum += lossValue * q.m;
    seen += q.m;
    const t = now();
    if (s.interval <= 0 || t - lastEmit >= s.interval || q.batch === batches - 1) {
      lastEmit = t;
      const elapsed = (priorMs + t - t0) / 1000;
      const ips = elapsed > 0 ? seen / elapsed : 0;
      const leftImgs = n - seen + (ir.epochs - epoch - 1) * n;
      emit({
        type: "batch",
        epoch: epoch + 1,
        epochs: ir.epochs,
        batch: q.batch + 1,
        batches,
        imagesPerSec: ips,
        loss: lossSum / seen,
        acc: correct / seen,
        etaSec: ips > 0 ? leftImgs / ips : 0,
      });
    }
    return null;
  };
  /** Settle the queued step, if any. */
  const drain = async (): Promise<Stop | null> => {
    const q = queued;
    queued = null;
    return q ? settle(q) : null;
  };

  for (let b = startBatch; b < batches; b++) {
    // The host side of a step is synchronous; without this the event loop (SIGINT/SIGTERM
    // handlers, the dashboard's redraws) would only run at epoch ends. Costs microseconds per batch.
    if (b > startBatch) await yieldToEventLoop();
    await s.opts.beforeBatch?.(epoch, b);
    const start = b * batchSize;
    const m = Math.min(batchSize, n - start);
    const { xs, labels, mix, soft } = s.nextBatch(order, start, m);
    const current: QueuedStep = { pending: s.step(xs, labels, lr, mix, soft), batch: b, m };
    s.ema?.update();
    // The previous step's outcome, read while this one computes; then this one is queued.
    const stopped = await drain();
    if (stopped) {
      await current.pending.read(); // frees it; the epoch ends at the earlier NaN
      return stopped;
    }
    queued = current;

    // A stop mid-epoch: checkpoint the position so a resume continues with the next batch.
    if (s.opts.signal?.aborted && b < batches - 1) {
      const nan = await drain();
      if (nan) return nan;
      const progressNow: EpochProgress = { epoch, batchesDone: b + 1, shuffleState, lossSum, correct, seen, elapsedMs: priorMs + now() - t0, lr };
      s.state = { ...s.state, inProgress: progressNow, rng: { shuffle: shuffleState, augment: s.augmentRng.getState(), dropout: s.dropoutRng.getState() } };
      await checkpoint(s, "last", s.state);
      return { reason: "interrupted", epoch, batch: b + 1 };
    }
  }
  const lastStop = await drain();
  if (lastStop) return lastStop;
  // The persistent shuffle stream moves on exactly as one full-epoch shuffle did.
  return { lr, lossSum, correct, seen, priorMs, t0, nextShuffle: epochRng.getState() };
}

/** Validation, best tracking and the epoch's checkpoints and events. */
async function endEpoch(s: Session, epoch: number, pass: EpochPass): Promise<{ readonly patienceOut: boolean } | Stop> {
  const { ir, model, data, ema } = s;
  // With ema: validation, the best checkpoint and restore-best see the averaged weights.
  const live = await ema?.swapIn();
  const val = data.val && data.val.n > 0 ? await evaluateModel(model, data.val, data.shape, data.classes, "val", 256, ir.tta ?? "none", s.opts.crop) : undefined;
  const metrics: EpochMetrics = {
    epoch: epoch + 1,
    loss: pass.lossSum / Math.max(1, pass.seen),
    acc: pass.correct / Math.max(1, pass.seen),
    ...(val ? { valLoss: val.loss, valAcc: val.acc, valRecall: val.perClass.map((c) => c.recall) } : {}),
    lr: pass.lr,
    timeMs: pass.priorMs + s.now() - pass.t0,
  };
  if (val && !Number.isFinite(val.loss)) return { reason: "nan", epoch, batch: s.batches - 1, what: "validation loss" };

  const best = updateBest(s.tracker, s.state.best, metrics);
  s.state = {
    ...s.state,
    epochsDone: epoch + 1,
    schedule: updateSchedule(ir.schedule, s.state.schedule, metrics),
    best: best.state,
    history: [...s.state.history, metrics],
    rng: { shuffle: pass.nextShuffle, augment: s.augmentRng.getState(), dropout: s.dropoutRng.getState() },
  };
  if (best.improved) {
    s.bestWeights = await snapshotWeights(model);
    await checkpoint(s, "best", s.state);
  }
  s.emit({
    type: "epoch-end",
    ...metrics,
    epochs: ir.epochs,
    bestEpoch: s.state.best.bestEpoch,
    monitor: s.tracker.monitor,
    improved: best.improved,
    patienceLeft: patienceLeft(s.tracker, s.state.best),
  });
  await s.opts.hooks?.onEpoch?.(metrics, s.state);
  if (ema && live) ema.swapOut(live);
  await checkpoint(s, "last", s.state);
  return { patienceOut: best.stop };
}

/**
 * The one place a training run ends: the weights it ends with, then its event, then the result.
 * A completed run keeps the best epoch's weights under restore-best, else the average's, else the
 * last; a NaN keeps the best finite epoch's; a stopped run keeps what it had (its checkpoint).
 */
function finish(s: Session, stop: Stop): TrainResult {
  const { ir, state } = s;
  const result = (status: TrainResult["status"], message?: string): TrainResult => ({
    status, reason: stop.reason, message, epochsDone: s.state.epochsDone, bestEpoch: s.state.best.bestEpoch, history: s.state.history, state: s.state,
  });
  switch (stop.reason) {
    case "nan": {
      if (s.bestWeights) restoreWeights(s.model, s.bestWeights);
      const message =
        `${stop.what} became NaN/Infinity at epoch ${stop.epoch + 1}, batch ${stop.batch + 1}; training stopped` +
        (s.bestWeights ? `, weights of epoch ${state.best.bestEpoch} kept` : ", no finite epoch to keep") +
        ". Try a lower learning rate.";
      s.emit({ type: "nan", epoch: stop.epoch + 1, batch: stop.batch + 1, message, keptEpoch: s.bestWeights ? state.best.bestEpoch : 0 });
      return result("failed", message);
    }
    case "interrupted":
      s.emit({ type: "interrupted", epoch: stop.epoch + 1, batch: stop.batch, checkpointSaved: s.opts.hooks?.checkpoint !== undefined });
      return result("stopped");
    case "early-stop":
    case "time-limit":
    case "epochs": {
      const restoredBest = ir.earlyStop?.restoreBest === true && s.bestWeights !== null;
      if (restoredBest) restoreWeights(s.model, s.bestWeights!);
      else s.ema?.apply();
      if (stop.reason === "early-stop") {
        s.emit({
          type: "early-stop",
          epoch: stop.epoch + 1,
          bestEpoch: state.best.bestEpoch,
          monitor: s.tracker.monitor,
          best: state.best.best ?? Number.NaN,
          restoredBest,
        });
      }
      return result("completed");
    }
  }
}
