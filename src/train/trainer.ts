/**
 * The training loop (not `model.fit`): seeded shuffling, optional augmentation of training
 * batches, weighted + label-smoothed cross-entropy, decoupled weight decay, per-epoch learning
 * rate schedule, validation, best tracking / early stopping, a NaN guard, cooperative stop
 * (AbortSignal) and exact resume. Disk I/O is left to hooks so the loop is testable in memory.
 */
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { TrainIR } from "../ir.js";
import { createRng, createRngFromState, type Rng } from "../util/rng.js";
import type { EpochMetrics, EventSink, TrainEvent } from "./events.js";
import { evaluateModel, type ArraySplit, type ImageShape } from "./evaluate.js";
import { resolveClassWeights } from "./classWeights.js";
import { releaseInferenceModel } from "../compile/fold.js";
import { makeBatchStep } from "./step.js";
import { createOptimizer, exportOptimizerState, importOptimizerState, setLearningRate, type OptimizerState } from "./optimizer.js";
import { initialScheduleState, lrForEpoch, updateSchedule } from "./schedule.js";
import { initialBestState, makeTracker, patienceLeft, updateBest } from "./earlyStop.js";
import { withSeededRandom } from "./seeded.js";
import { restoreWeights, snapshotWeights, type WeightSnapshot } from "./weights.js";
import { TRAINER_STATE_VERSION, type EpochProgress, type TrainerState } from "./state.js";
import { cropBatch } from "./crop.js";
import { mixBatch, type Mix } from "./mixup.js";
import { WeightAverage, withoutAverage } from "./ema.js";

export interface TrainerData {
  readonly train: ArraySplit;
  readonly val?: ArraySplit;
  readonly shape: ImageShape;
  readonly classes: readonly string[];
}

/** Augments `n` preprocessed images from `src` into `dst` (same layout), drawing from `rng`. */
export type AugmentFn = (src: Float32Array, dst: Float32Array, n: number, rng: Rng) => void;

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
  /** Test hook: called before each batch with (epoch0, batch0). */
  readonly beforeBatch?: (epoch: number, batch: number) => void;
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

export async function trainModel(opts: TrainOptions): Promise<TrainResult> {
  const { train: ir, model, data } = opts;
  const emit = (e: TrainEvent): void => opts.onEvent?.(e);
  const now = opts.now ?? (() => performance.now());
  const interval = opts.batchEventIntervalMs ?? 200;
  const trainStart = now();
  const [h, w, c] = data.shape;
  const size = h * w * c;
  const k = data.classes.length;
  const n = data.train.n;
  if (n === 0) throw new Error("the train split is empty; nothing to train on");
  const batchSize = Math.max(1, Math.min(ir.batch, n));
  const batches = Math.ceil(n / batchSize);
  const classWeights = resolveClassWeights(ir.classWeights, data.train.labels, k);
  const tracker = makeTracker(ir.earlyStop, data.val !== undefined && data.val.n > 0);

  const optimizer = createOptimizer(ir.optimizer);
  let state: TrainerState = opts.resume?.state ?? initialTrainerState(ir);
  let bestWeights: WeightSnapshot | null = opts.resume?.bestWeights ?? null;
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
  const crop = opts.crop;
  const modelShape: readonly [number, number, number] = crop ? [crop[0], crop[1], c] : data.shape;
  const step = makeBatchStep(model, optimizer, {
    shape: modelShape,
    classes: k,
    labelSmoothing: ir.labelSmoothing,
    weightDecay: ir.weightDecay,
    classWeights,
    dropoutRng,
  });

  const xBatch = new Float32Array(batchSize * size);
  const xAug = opts.augment ? new Float32Array(batchSize * size) : null;
  const xCrop = crop ? new Float32Array(batchSize * crop[0] * crop[1] * c) : null;
  const mixAlpha = opts.augment && opts.mixup ? opts.mixup : 0;
  const modelSize = modelShape[0] * modelShape[1] * modelShape[2];
  const xMix = mixAlpha > 0 ? new Float32Array(batchSize * modelSize) : null;
  const yBatch = new Uint8Array(batchSize);

  const snapshotState = (progress: EpochProgress | undefined, shuffleState: number[]): TrainerState => ({
    ...state,
    inProgress: progress,
    rng: { shuffle: shuffleState, augment: augmentRng.getState(), dropout: dropoutRng.getState() },
  });
  const checkpoint = async (kind: "last" | "best", s: TrainerState): Promise<void> => {
    if (!opts.hooks?.checkpoint) return;
    const optState = await exportOptimizerState(optimizer, ir.optimizer.kind);
    await opts.hooks.checkpoint({ kind, model, state: s, optimizer: ema ? ema.withState(optState) : optState });
  };
  const finish = (status: TrainResult["status"], reason: TrainReason, message?: string): TrainResult => {
    return { status, reason, message, epochsDone: state.epochsDone, bestEpoch: state.best.bestEpoch, history: state.history, state };
  };
  /** The weights a completed run ends with (and is tested with): the best epoch's, else the average's, else the last. */
  const finalWeights = (): void => {
    if (ir.earlyStop?.restoreBest && bestWeights) restoreWeights(model, bestWeights);
    else ema?.apply();
  };
  const nanStop = (epoch: number, batch: number, what: string): TrainResult => {
    if (bestWeights) restoreWeights(model, bestWeights);
    const message =
      `${what} became NaN/Infinity at epoch ${epoch + 1}, batch ${batch + 1}; training stopped` +
      (bestWeights ? `, weights of epoch ${state.best.bestEpoch} kept` : ", no finite epoch to keep") +
      ". Try a lower learning rate.";
    emit({ type: "nan", epoch: epoch + 1, batch: batch + 1, message, keptEpoch: bestWeights ? state.best.bestEpoch : 0 });
    return finish("failed", "nan", message);
  };

  try {
    for (let epoch = state.epochsDone; epoch < ir.epochs; epoch++) {
      const progress = state.inProgress?.epoch === epoch ? state.inProgress : undefined;
      // Re-draw this epoch's order from the state before its shuffle (identical on resume).
      const shuffleState = progress ? progress.shuffleState : state.rng.shuffle;
      const epochRng = createRngFromState(shuffleState);
      const order = epochRng.shuffle(Uint32Array.from({ length: n }, (_, i) => i));
      const lr = progress ? progress.lr : lrForEpoch(ir.schedule, ir.optimizer.lr, epoch, ir.epochs, state.schedule);
      setLearningRate(optimizer, lr);
      emit({ type: "epoch-start", epoch: epoch + 1, epochs: ir.epochs, lr, batches });

      let lossSum = progress?.lossSum ?? 0;
      let correct = progress?.correct ?? 0;
      let seen = progress?.seen ?? 0;
      const priorMs = progress?.elapsedMs ?? 0;
      const t0 = now();
      let lastEmit = -Infinity;
      const startBatch = progress?.batchesDone ?? 0;
      state = { ...state, inProgress: undefined };

      for (let b = startBatch; b < batches; b++) {
        // A step is synchronous; without this the event loop (SIGINT/SIGTERM handlers, the
        // dashboard's redraws) would only run at epoch ends. Costs microseconds per batch.
        if (b > startBatch) await yieldToEventLoop();
        opts.beforeBatch?.(epoch, b);
        const start = b * batchSize;
        const m = Math.min(batchSize, n - start);
        for (let i = 0; i < m; i++) {
          const src = order[start + i]!;
          xBatch.set(data.train.x.subarray(src * size, (src + 1) * size), i * size);
          yBatch[i] = data.train.labels[src]!;
        }
        let xs = xBatch;
        if (opts.augment && xAug) {
          opts.augment(xBatch.subarray(0, m * size), xAug.subarray(0, m * size), m, augmentRng);
          xs = xAug;
        }
        if (crop && xCrop) {
          cropBatch(xs, xCrop, m, data.shape, crop, opts.augment ? augmentRng : undefined);
          xs = xCrop;
        }
        const labels = yBatch.subarray(0, m);
        let mix: Mix | undefined;
        if (xMix) {
          mix = mixBatch(xs, xMix, labels, m, modelSize, mixAlpha, augmentRng);
          xs = xMix;
        }
        const { loss: lossValue, correct: batchCorrect } = step(xs, labels, lr, mix);
        correct += batchCorrect;
        if (!Number.isFinite(lossValue)) return nanStop(epoch, b, "training loss");
        ema?.update();
        lossSum += lossValue * m;
        seen += m;

        const t = now();
        if (interval <= 0 || t - lastEmit >= interval || b === batches - 1) {
          lastEmit = t;
          const elapsed = (priorMs + t - t0) / 1000;
          const doneImgs = seen;
          const ips = elapsed > 0 ? doneImgs / elapsed : 0;
          const leftImgs = n - doneImgs + (ir.epochs - epoch - 1) * n;
          emit({
            type: "batch",
            epoch: epoch + 1,
            epochs: ir.epochs,
            batch: b + 1,
            batches,
            imagesPerSec: ips,
            loss: lossSum / seen,
            acc: correct / seen,
            etaSec: ips > 0 ? leftImgs / ips : 0,
          });
        }

        if (opts.signal?.aborted && b < batches - 1) {
          const saved = snapshotState(
            { epoch, batchesDone: b + 1, shuffleState, lossSum, correct, seen, elapsedMs: priorMs + now() - t0, lr },
            shuffleState,
          );
          state = saved;
          await checkpoint("last", saved);
          emit({ type: "interrupted", epoch: epoch + 1, batch: b + 1, checkpointSaved: opts.hooks?.checkpoint !== undefined });
          return finish("stopped", "interrupted");
        }
      }

      // The persistent shuffle stream moves on exactly as one full-epoch shuffle did.
      const nextShuffle = epochRng.getState();
      // With ema: validation, the best checkpoint and restore-best see the averaged weights.
      const live = ema?.swapIn();
      const val = data.val && data.val.n > 0 ? evaluateModel(model, data.val, data.shape, data.classes, "val", 256, ir.tta ?? "none", crop) : undefined;
      const metrics: EpochMetrics = {
        epoch: epoch + 1,
        loss: lossSum / Math.max(1, seen),
        acc: correct / Math.max(1, seen),
        ...(val ? { valLoss: val.loss, valAcc: val.acc } : {}),
        lr,
        timeMs: priorMs + now() - t0,
      };
      if (val && !Number.isFinite(val.loss)) return nanStop(epoch, batches - 1, "validation loss");

      const verdict = updateBest(tracker, state.best, metrics);
      state = {
        ...state,
        epochsDone: epoch + 1,
        schedule: updateSchedule(ir.schedule, state.schedule, metrics),
        best: verdict.state,
        history: [...state.history, metrics],
        rng: { shuffle: nextShuffle, augment: augmentRng.getState(), dropout: dropoutRng.getState() },
      };
      if (verdict.improved) {
        bestWeights = snapshotWeights(model);
        await checkpoint("best", state);
      }
      emit({
        type: "epoch-end",
        ...metrics,
        epochs: ir.epochs,
        bestEpoch: state.best.bestEpoch,
        monitor: tracker.monitor,
        improved: verdict.improved,
        patienceLeft: patienceLeft(tracker, state.best),
      });
      await opts.hooks?.onEpoch?.(metrics, state);
      if (ema && live) ema.swapOut(live);
      await checkpoint("last", state);

      if (verdict.stop) {
        const restore = ir.earlyStop?.restoreBest === true && bestWeights !== null;
        if (restore) restoreWeights(model, bestWeights!);
        else ema?.apply();
        emit({
          type: "early-stop",
          epoch: epoch + 1,
          bestEpoch: state.best.bestEpoch,
          monitor: tracker.monitor,
          best: state.best.best ?? Number.NaN,
          restoredBest: restore,
        });
        return finish("completed", "early-stop");
      }
      if (opts.signal?.aborted) {
        emit({ type: "interrupted", epoch: epoch + 1, batch: batches, checkpointSaved: opts.hooks?.checkpoint !== undefined });
        return finish("stopped", "interrupted");
      }
      if (opts.timeLimitMs !== undefined && epoch + 1 < ir.epochs && now() - trainStart >= opts.timeLimitMs) {
        finalWeights();
        return finish("completed", "time-limit");
      }
    }
    finalWeights();
    return finish("completed", "epochs");
  } finally {
    optimizer.dispose();
    ema?.dispose();
    // The per-epoch evaluations' folded inference copy (compile/fold.ts) is the trainer's to free.
    releaseInferenceModel(model);
  }
}
