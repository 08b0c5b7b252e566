/**
 * The part of a run shared by `startRun` and `resumeRun`: build the seeded model, train with
 * on-disk checkpoints and metrics, test, write the report and the final manifest, emit events.
 */
import type { SpecIR } from "../ir.js";
import type { LoadedDataset } from "../data/types.js";
import type { DistillInfo, EvalResult, EventSink, RunStatus, TrainEvent } from "../train/events.js";
import * as path from "node:path";
import { buildSeededModel, trainModel, type AugmentFn, type ResumePoint, type TrainOptions, type TrainReason } from "../train/trainer.js";
import { temperedTargets } from "../distill/soft.js";
import { modelWindow, type ViewTeacher } from "../distill/view.js";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { checkpointDir, readCheckpoint, type CheckpointKind } from "./checkpoint.js";
import { RecordError } from "./recordFiles.js";
import { restoreWeights } from "../train/weights.js";
import { memberHash } from "../ensemble/hash.js";
import { evaluateModel } from "../train/evaluate.js";
import { runProtocol } from "../train/protocol.js";
import { modelMacs } from "../check/macs.js";
import { calibrationEntry } from "./calibration.js";
import type { RunReport } from "../report/markdown.js";
import { accuracyFailed, checkAccuracy, type AccuracyVerdict } from "../check/expect.js";
import type { ResolvedDeps, PreprocessStats } from "./deps.js";
import { classDistribution, cleaningSummary, prepareData } from "./prepare.js";
import type { RunRecorder } from "./record.js";
import { priorTrainingMs, replayHistory } from "./history.js";

/** Let the dashboard paint a phase before the synchronous work it names starts. */
const paint = (): Promise<void> => new Promise((r) => setImmediate(r));

export interface RunOutcome {
  readonly dir: string;
  readonly runId: string;
  readonly status: RunStatus;
  readonly reason: TrainReason | "error";
  readonly message?: string;
  readonly epochsDone: number;
  readonly bestEpoch: number;
  /** Final validation metrics (last epoch), when there is a val split. */
  readonly valAcc?: number;
  readonly test?: EvalResult;
  /** The spec's `expect { accuracy ... }` verdicts (empty when it has none). */
  readonly expectations?: readonly AccuracyVerdict[];
  /** What the CLI should exit with: 0 completed, 1 failed or an accuracy expectation failed, 130 interrupted. */
  readonly exitCode: 0 | 1 | 130;
}

export interface ExecuteOptions {
  readonly onEvent?: EventSink;
  readonly signal?: AbortSignal;
  readonly augment: boolean;
  readonly backend: { readonly name: string; readonly reason?: string; readonly kernels?: string };
  readonly batchEventIntervalMs?: number;
  /** Training-time budget (ms) for this process; see TrainOptions.timeLimitMs. */
  readonly timeLimitMs?: number;
  /** Set by resume (also when it restarts from epoch 0, where there is no resume point). */
  readonly resumedFromEpoch?: number;
  /** Distillation: the teacher record's directory as found now (absolute). */
  readonly teacher?: string;
  /** Fine-tuning (`train { init-from ... }`): the run record to start from, as found now (absolute). */
  readonly initFrom?: string;
}

export async function executeRun(
  rec: RunRecorder,
  spec: SpecIR,
  deps: ResolvedDeps,
  data: LoadedDataset,
  stats: PreprocessStats,
  opts: ExecuteOptions,
  resume?: ResumePoint,
): Promise<RunOutcome> {
  const t0 = Date.now();
  const emit = (e: TrainEvent): void => opts.onEvent?.(e);
  const classes = spec.dataset.classes;
  emit({ type: "phase", phase: "preprocess", message: `preprocessing ${data.train.n + data.val.n + data.test.n} images` });
  await paint();
  const arrays = prepareData(data, stats, deps.preprocess);
  const dist = classDistribution(data, classes);
  const [h, w, c] = arrays.shape;
  emit({ type: "phase", phase: "model", message: "building the model" });
  await paint();
  const model = buildSeededModel(() => deps.buildModel(spec), spec.train.seed);
  // Fine-tuning starts from another record's weights; a resume has its own (its checkpoint).
  if (!resume && spec.train.initFrom !== undefined) {
    try {
      await initWeights(rec, model, opts, emit);
    } catch (e) {
      model.dispose();
      throw e;
    }
  }
  // On resume: the earlier epochs for the dashboard, and their time in the total.
  // Which split drives each choice: recorded before training, so a stopped run has it too.
  const protocol = runProtocol(spec.train, arrays.val.n > 0);
  await rec.update({ protocol });
  const previous = resume && resume.state.history.length > 0 ? replayHistory(spec.train, arrays.val.n > 0, resume.state) : undefined;
  const priorMs = resume ? priorTrainingMs(resume.state) : 0;
  let viewTeacher: ViewTeacher | undefined;
  try {
    // The teacher's targets before the run starts training (a minute or two once, then cached).
    const distill = spec.train.distill ? await distillSetup(rec, spec, deps, data, opts, emit) : undefined;
    viewTeacher = distill?.viewTeacher;
    emit({
      type: "run-start",
      spec: spec.name,
      backend: opts.backend.name,
      backendReason: opts.backend.reason,
      ...(opts.backend.kernels ? { kernels: opts.backend.kernels } : {}),
      runDir: rec.dir,
      counts: { train: data.train.n, val: data.val.n, test: data.test.n },
      classCounts: { train: dist.train, val: dist.val, test: dist.test },
      classes: [...classes],
      cleaning: cleaningSummary(data),
      augment: opts.augment,
      ...(distill ? { distill: distill.info } : {}),
      epochs: spec.train.epochs,
      batch: spec.train.batch,
      params: model.countParams(),
      ...(opts.resumedFromEpoch !== undefined ? { resumedFromEpoch: opts.resumedFromEpoch } : {}),
      ...(previous ? { history: previous } : {}),
    });
    // The machine's speed for `ferc check`'s epoch estimate: this process's epochs only (a resumed
    // run's earlier ones may have run elsewhere); never fails the run.
    const macs = modelMacs(spec.model.layers);
    const firstEpoch = resume?.state.history.length ?? 0;
    const calibrate = async (history: readonly { timeMs: number }[]): Promise<void> => {
      // A per-view student's epochs include its teacher's forward passes: not the model's speed.
      if (!deps.calibrate || macs === undefined || spec.train.distill?.targets === "per-view") return;
      const entry = calibrationEntry({ spec: spec.name, runId: rec.manifest.runId, trainImages: arrays.train.n, macsPerImage: macs, epochMs: history.slice(firstEpoch).map((m) => m.timeMs), ...(opts.backend.kernels ? { kernels: opts.backend.kernels } : {}) });
      try {
        if (entry) await deps.calibrate(opts.backend.name, entry);
      } catch {
        /* an unwritable cache directory costs the estimate, not the run */
      }
    };
    const augment: AugmentFn | undefined = opts.augment
      ? (src, dst, n, rng) => deps.augmentBatch(src, dst, n, h, w, c, spec.augment, rng)
      : undefined;

    const result = await trainModel({
      train: spec.train,
      model,
      data: { train: arrays.train, val: arrays.val.n > 0 ? arrays.val : undefined, shape: arrays.shape, classes },
      augment,
      ...(spec.augment.randomCrop ? { crop: spec.augment.randomCrop } : {}),
      ...(spec.augment.mixup !== undefined ? { mixup: spec.augment.mixup } : {}),
      ...(distill ? { distill: distill.train } : {}),
      onEvent: opts.onEvent,
      signal: opts.signal,
      resume,
      batchEventIntervalMs: opts.batchEventIntervalMs,
      ...(opts.timeLimitMs !== undefined ? { timeLimitMs: opts.timeLimitMs } : {}),
      hooks: {
        checkpoint: (req) => rec.checkpoint(req.kind, req.model, req.state, req.optimizer),
        onEpoch: async (_m, state) => {
          await calibrate(state.history);
          await rec.writeMetrics(state.history);
          await rec.writeCurves(state.history, state.best.bestEpoch);
          await rec.update({ epochsDone: state.epochsDone, bestEpoch: state.best.bestEpoch });
        },
      },
    });

    // Test with the weights the trainer left: best ones after restore-best or a NaN stop.
    const canTest = result.reason !== "interrupted" && !(result.reason === "nan" && result.bestEpoch === 0) && arrays.test.n > 0;
    const test = canTest ? await evaluateModel(model, arrays.test, arrays.shape, classes, "test", 256, spec.train.tta ?? "none", spec.augment.randomCrop) : undefined;
    if (test) emit({ type: "test-result", ...test });
    const reachedTest = result.reason !== "interrupted" && !(result.reason === "nan" && result.bestEpoch === 0);
    const expectations = await judgeAccuracy(spec, reachedTest, test, arrays.val.n, async () =>
      (await evaluateModel(model, arrays.val, arrays.shape, classes, "val", 256, spec.train.tta ?? "none", spec.augment.randomCrop)).acc);

    const status: RunStatus = result.status;
    const report: RunReport = {
      spec: spec.name,
      runId: rec.manifest.runId,
      status,
      reason: result.reason,
      backend: opts.backend.name,
      epochsDone: result.epochsDone,
      bestEpoch: result.bestEpoch,
      history: result.history,
      data: { train: data.train.n, val: data.val.n, test: data.test.n, testSplit: data.report.test },
      protocol,
      ...(rec.manifest.distill ? { distill: rec.manifest.distill } : {}),
      ...(rec.manifest.init ? { init: rec.manifest.init } : {}),
      ...(rec.manifest.overrides?.length ? { overrides: rec.manifest.overrides } : {}),
      test: test ?? null,
      ...(result.message ? { message: result.message } : {}),
      ...(expectations.length ? { expectations } : {}),
    };
    await rec.writeMetrics(result.history);
    await rec.writeCurves(result.history, result.bestEpoch);
    await rec.writeClasses(dist);
    await rec.writeReport(report);
    await rec.update({
      status,
      reason: result.reason,
      message: result.message,
      endedAt: new Date().toISOString(),
      epochsDone: result.epochsDone,
      bestEpoch: result.bestEpoch,
      ...(test ? { test: rec.testSummary(test) } : {}),
    });
    emit({
      type: "done",
      status,
      reason: result.reason,
      epochsDone: result.epochsDone,
      bestEpoch: result.bestEpoch,
      testAcc: test?.acc,
      runDir: rec.dir,
      elapsedMs: Date.now() - t0 + priorMs,
      message: result.message,
      ...(expectations.length ? { expectations } : {}),
    });
    const expectFailed = status === "completed" && accuracyFailed(expectations);
    return {
      dir: rec.dir,
      runId: rec.manifest.runId,
      status,
      reason: result.reason,
      message: result.message,
      epochsDone: result.epochsDone,
      bestEpoch: result.bestEpoch,
      valAcc: result.history.at(-1)?.valAcc,
      test,
      expectations,
      exitCode: status === "completed" ? (expectFailed ? 1 : 0) : status === "stopped" ? 130 : 1,
    };
  } finally {
    viewTeacher?.dispose();
    model.dispose();
  }
}

/**
 * Fine-tuning: the weights of the `init-from` record's best checkpoint (else its last) into the
 * freshly built model, by position with every shape checked; run.yaml records which checkpoint,
 * its epoch and its hash, so the run says exactly where it started.
 */
async function initWeights(rec: RunRecorder, model: LayersModel, opts: ExecuteOptions, emit: (e: TrainEvent) => void): Promise<void> {
  const dir = opts.initFrom;
  if (dir === undefined) throw new Error("train.init-from: this run was started without its record (internal: no directory)");
  const kind: CheckpointKind | null = (await checkpointDir(dir, "best")) ? "best" : (await checkpointDir(dir, "last")) ? "last" : null;
  if (kind === null) throw new RecordError(`train.init-from: ${dir} has no checkpoint (neither best/ nor last/) to start from`, path.join(dir, "checkpoints"));
  emit({ type: "phase", phase: "model", message: `starting from the ${kind} weights of ${path.relative(process.cwd(), dir) || dir}` });
  const ckpt = await readCheckpoint(dir, kind);
  try {
    restoreWeights(model, ckpt.weights);
  } catch (e) {
    throw new RecordError(`train.init-from: the weights of ${dir} do not fit this spec's model (${(e as Error).message}); init-from needs a record of the same layers`, ckpt.weightsFile);
  }
  const epoch = kind === "best" ? ckpt.state.best.bestEpoch : ckpt.state.epochsDone;
  const record = rec.manifest.init?.record ?? { relative: path.relative(rec.dir, dir), absolute: path.resolve(dir) };
  await rec.update({ init: { record, checkpoint: kind, epoch, hash: await memberHash(dir, kind) } });
}

/** What distillation hands the trainer (cached targets or the per-view teacher), and what it shows. */
interface DistillSetup {
  readonly train: NonNullable<TrainOptions["distill"]>;
  readonly info: DistillInfo;
  readonly viewTeacher?: ViewTeacher;
}

/** Cached targets or the per-view teacher, as the spec says. */
async function distillSetup(rec: RunRecorder, spec: SpecIR, deps: ResolvedDeps, data: LoadedDataset, opts: ExecuteOptions, emit: (e: TrainEvent) => void): Promise<DistillSetup> {
  if (spec.train.distill?.targets !== "per-view") {
    const { info, ...train } = await distillTargets(rec, spec, deps, data, opts, emit);
    return { train, info };
  }
  const d = spec.train.distill;
  if (opts.teacher === undefined || !deps.viewTeacher) throw new Error("train.distill: this run was started without its teacher (internal: no teacher directory or loader)");
  const recorded = rec.manifest.distill;
  emit({ type: "phase", phase: "model", message: `opening the teacher ${path.relative(rec.dir, opts.teacher)} for per-view targets` });
  const teacher = await deps.viewTeacher(opts.teacher, {
    classes: spec.dataset.classes,
    input: spec.dataset.input,
    dataHash: data.hash,
    ...(recorded?.teacherHash ? { expectHash: recorded.teacherHash } : {}),
    preprocess: spec.preprocess,
    window: modelWindow(spec),
    temperature: d.temperature,
  });
  let info: DistillInfo;
  try {
    info = await recordDistill(rec, opts.teacher, d, { teacherHash: teacher.hash, kind: teacher.kind, members: teacher.members }, { perView: true }, false);
  } catch (e) {
    teacher.dispose();
    throw e;
  }
  return { train: { teacher: (x) => teacher.targets(x), temperature: d.temperature, weight: d.weight }, info, viewTeacher: teacher };
}

/**
 * Distillation's targets: the teacher's probabilities on the train split (from the cache, or
 * computed once), softened by the temperature; the teacher's hash goes into run.yaml, and a
 * resumed run refuses a teacher that changed since.
 */
async function distillTargets(rec: RunRecorder, spec: SpecIR, deps: ResolvedDeps, data: LoadedDataset, opts: ExecuteOptions, emit: (e: TrainEvent) => void): Promise<{ readonly targets: Float32Array; readonly temperature: number; readonly weight: number; readonly info: DistillInfo }> {
  const d = spec.train.distill!;
  if (opts.teacher === undefined || !deps.teacherTargets) throw new Error("train.distill: this run was started without its teacher (internal: no teacher directory or loader)");
  const recorded = rec.manifest.distill;
  const t = await deps.teacherTargets(
    opts.teacher,
    data.train,
    { classes: spec.dataset.classes, input: spec.dataset.input, dataHash: data.hash, ...(recorded?.teacherHash ? { expectHash: recorded.teacherHash } : {}) },
    (message) => emit({ type: "phase", phase: "data", message }),
  );
  const info = await recordDistill(rec, opts.teacher, d, t, { targets: t.key }, t.cached);
  return { targets: temperedTargets(t.probs, spec.dataset.classes.length, d.temperature), temperature: d.temperature, weight: d.weight, info };
}

/** The teacher into run.yaml (where it is, its hash, the loss's settings, where its targets come from) and what the run shows of it. */
async function recordDistill(
  rec: RunRecorder,
  teacherDir: string,
  d: { readonly temperature: number; readonly weight: number },
  t: { readonly teacherHash: string; readonly kind: "ensemble" | "run"; readonly members: number },
  how: { readonly targets: string } | { readonly perView: true },
  cached: boolean,
): Promise<DistillInfo> {
  const teacher = path.relative(rec.dir, teacherDir);
  await rec.update({
    distill: { teacher: { relative: teacher, absolute: path.resolve(teacherDir) }, teacherHash: t.teacherHash, kind: t.kind, members: t.members, temperature: d.temperature, weight: d.weight, ...how },
  });
  return { teacher, kind: t.kind, members: t.members, temperature: d.temperature, weight: d.weight, cached, ...("perView" in how ? { perView: true } : {}) };
}

/** Record a failure that happened outside training (data load, bad checkpoint, ...). */
export async function recordFailure(rec: RunRecorder, err: unknown, onEvent: EventSink | undefined, t0: number): Promise<RunOutcome> {
  const message = err instanceof Error ? err.message : String(err);
  try {
    await rec.update({ status: "failed", reason: "error", message, endedAt: new Date().toISOString() });
  } catch {
    /* the manifest itself may be what failed; the error is still returned */
  }
  onEvent?.({
    type: "done",
    status: "failed",
    reason: "error",
    epochsDone: rec.manifest.epochsDone,
    bestEpoch: rec.manifest.bestEpoch,
    runDir: rec.dir,
    elapsedMs: Date.now() - t0,
    message,
  });
  return {
    dir: rec.dir,
    runId: rec.manifest.runId,
    status: "failed",
    reason: "error",
    message,
    epochsDone: rec.manifest.epochsDone,
    bestEpoch: rec.manifest.bestEpoch,
    exitCode: 1,
  };
}

/**
 * The spec's accuracy expectations, judged on the final weights (those just tested). Val is
 * evaluated only when an expectation names it, as `ferc eval --split val` would.
 */
async function judgeAccuracy(spec: SpecIR, reachedTest: boolean, test: EvalResult | undefined, valN: number, valAcc: () => Promise<number>): Promise<AccuracyVerdict[]> {
  if (!spec.expect.some((e) => e.kind === "accuracy")) return [];
  const stopped = "the run stopped before testing";
  const wantsVal = spec.expect.some((e) => e.kind === "accuracy" && e.split === "val");
  return checkAccuracy(spec.expect, {
    test: !reachedTest ? stopped : test ? test.acc : "the test split is empty",
    val: !reachedTest ? stopped : valN === 0 ? "the val split is empty" : wantsVal ? await valAcc() : "not needed",
  });
}
