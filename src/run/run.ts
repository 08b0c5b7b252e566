/**
 * Entry points: `startRun` (a new run), `resumeRun` / `resumeOpenedRun` (continue one), `openRun`
 * (read a run directory), `evaluateRun` (ferc eval) and `predictImage` (ferc predict). `ferc run`
 * reaches the first two through request.ts (resolveRun) and launch.ts (launchRun).
 */
import { createHash } from "node:crypto";
import { existsSync, promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { SpecIR } from "../ir.js";
import type { SplitName } from "../data/types.js";
import type { EvalResult, EventSink, PhaseEvent } from "../train/events.js";
import { evaluateModel, predictProbabilities, type Tta } from "../train/evaluate.js";
import { restoreWeights } from "../train/weights.js";
import { releaseInferenceModel } from "../compile/fold.js";
import { adoptSpec } from "../compile/tfjs.js";
import type { ResumePoint } from "../train/trainer.js";
import { cleanupTemps, exists } from "./atomicFs.js";
import { checkpointDir, loadCheckpointModel, OPTIMIZER_STATE_MISSING, readCheckpoint, type CheckpointKind, type LoadedCheckpoint } from "./checkpoint.js";
import { resolveDeps, type PreprocessStats, type RunDeps } from "./deps.js";
import { executeRun, recordFailure, type RunOutcome } from "./execute.js";
import { createRunDir, FILES, versions } from "./layout.js";
import { acquireLock } from "./lock.js";
import { manifestText, readManifest, type RunManifest, type RunOverride } from "./manifest.js";
import { checkRunsDir, DEFAULT_MIN_FREE_BYTES } from "./preflight.js";
import { RunRecorder } from "./record.js";
import type { GitState } from "../git/state.js";
import { damaged, isNumberArray, isObject, isPositiveInt, readRecordJson, readRecordText, RecordError } from "./recordFiles.js";
import { checkpointProblem, recordedIrProblem } from "./recordIr.js";
import { escapeControls } from "../render/escape.js";

export type { RunOutcome };

export interface BackendInfo {
  readonly name: string;
  readonly reason?: string;
  /** Which kernels it computes with: "native AVX2, 2 threads", "portable (why)". */
  readonly kernels?: string;
}

export interface StartRunOptions {
  readonly spec: SpecIR;
  /** The `.fer` source text, stored as spec.fer and hashed into the manifest. */
  readonly source: string;
  readonly deps: RunDeps;
  /** The backend already activated by the caller (src/backend `selectBackend`). */
  readonly backend: BackendInfo;
  /** Default `runs`. */
  readonly runsDir?: string;
  /** Augment training batches. Default: whether the spec declares an `augment` section. */
  readonly augment?: boolean;
  /** The data source's absolute path (CSV or image folder), recorded so eval/resume find it from anywhere. */
  readonly dataSource?: string;
  /** Command-line flags to record in the manifest. */
  readonly flags?: Readonly<Record<string, string | number | boolean>>;
  /** How the run differs from its spec file (src/run/asRun.ts), recorded in run.yaml and the report. */
  readonly overrides?: readonly RunOverride[];
  /** The commit the spec was run from (src/git/state.ts), recorded in run.yaml. */
  readonly git?: GitState;
  readonly onEvent?: EventSink;
  /** Abort = stop after the current batch, checkpoint, record; outcome exitCode 130. */
  readonly signal?: AbortSignal;
  readonly batchEventIntervalMs?: number;
  /** Stop at the first epoch end after this much training time (ms), as a completed run. */
  readonly timeLimitMs?: number;
  readonly minFreeBytes?: number;
  /** Clock for the run id (tests). */
  readonly now?: () => Date;
  /** Distillation (`train { distill ... }`): the teacher record's directory, absolute. */
  readonly teacher?: string;
  /** Fine-tuning (`train { init-from ... }`): the run record to start from, absolute. */
  readonly initFrom?: string;
}

/** The first of the seconds before training: reading, decoding and cleaning the images. */
function loadingPhase(spec: SpecIR): PhaseEvent {
  return { type: "phase", phase: "data", message: `loading and cleaning data set ${spec.dataset.name}` };
}

function sha256(text: string): string {
  return "sha256:" + createHash("sha256").update(text).digest("hex");
}

/**
 * Start a new run. Throws (before creating anything) when the runs directory is unusable; any
 * later failure is recorded in the run (status `failed`) and returned, not thrown.
 */
export async function startRun(opts: StartRunOptions): Promise<RunOutcome> {
  const runsDir = opts.runsDir ?? "runs";
  await checkRunsDir(runsDir, opts.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES);
  const t0 = Date.now();
  const started = opts.now?.() ?? new Date();
  const augment = opts.augment ?? opts.spec.augment.declared;
  const manifest = (runId: string): RunManifest => ({
    manifestVersion: 1,
    spec: opts.spec.name,
    runId,
    specHash: sha256(opts.source),
    dataHash: "",
    backend: opts.backend.name,
    ...(opts.backend.reason ? { backendReason: opts.backend.reason } : {}),
    ...(opts.backend.kernels ? { kernels: opts.backend.kernels } : {}),
    ...(opts.dataSource ? { dataSource: { relative: path.relative(path.join(runsDir, runId), opts.dataSource), absolute: path.resolve(opts.dataSource) } } : {}),
    owner: currentOwner(),
    versions: versions(),
    seed: opts.spec.train.seed,
    flags: { ...(opts.flags ?? {}) },
    ...(opts.overrides ? { overrides: opts.overrides } : {}),
    ...(opts.git ? { git: opts.git } : {}),
    ...(opts.teacher !== undefined && opts.spec.train.distill
      ? { distill: { teacher: { relative: path.relative(path.join(runsDir, runId), opts.teacher), absolute: path.resolve(opts.teacher) }, temperature: opts.spec.train.distill.temperature, weight: opts.spec.train.distill.weight } }
      : {}),
    ...(opts.initFrom !== undefined ? { init: { record: { relative: path.relative(path.join(runsDir, runId), opts.initFrom), absolute: path.resolve(opts.initFrom) } } } : {}),
    augment,
    startedAt: started.toISOString(),
    endedAt: null,
    status: "running",
    epochsPlanned: opts.spec.train.epochs,
    epochsDone: 0,
    bestEpoch: 0,
  });
  // The record appears with its spec, IR, run.yaml and lock at once (see createRunDir).
  const { dir, runId, lock } = await createRunDir(runsDir, opts.spec.name, started, (id) => ({
    [FILES.spec]: opts.source,
    [FILES.ir]: `${JSON.stringify(opts.spec, null, 2)}\n`,
    [FILES.manifest]: manifestText(manifest(id)),
  }));
  const rec = new RunRecorder(dir, manifest(runId));
  const unguard = rec.recordForcedExit();
  try {
    const deps = resolveDeps(opts.deps);
    opts.onEvent?.(loadingPhase(opts.spec));
    const data = await deps.loadDataset(opts.spec.dataset);
    const stats = deps.preprocess.fitPreprocess(data.train, opts.spec.preprocess);
    await rec.writeJson(FILES.preprocess, stats);
    await rec.writeJson(FILES.data, { hash: data.hash, report: data.report });
    await rec.update({ dataHash: data.hash });
    return await executeRun(rec, opts.spec, deps, data, stats, {
      onEvent: opts.onEvent,
      signal: opts.signal,
      augment,
      backend: opts.backend,
      batchEventIntervalMs: opts.batchEventIntervalMs,
      ...(opts.timeLimitMs !== undefined ? { timeLimitMs: opts.timeLimitMs } : {}),
      ...(opts.teacher !== undefined ? { teacher: opts.teacher } : {}),
      ...(opts.initFrom !== undefined ? { initFrom: opts.initFrom } : {}),
    });
  } catch (e) {
    return recordFailure(rec, e, opts.onEvent, t0);
  } finally {
    unguard();
    lock.release();
  }
}

/** A run directory's records, read and validated. */
export interface OpenedRun {
  readonly dir: string;
  readonly manifest: RunManifest;
  readonly spec: SpecIR;
  readonly source: string;
  readonly preprocess: PreprocessStats | null;
  readonly hasCheckpoint: { readonly best: boolean; readonly last: boolean };
}

/** spec.ir.json of the largest model a spec may have (5,000 layers) is about 2 MB. */
const MAX_IR_BYTES = 8 * 1024 * 1024;

/** What is wrong with a parsed spec.ir.json, as far as eval, predict and resume rely on it. */
function specIrProblem(v: unknown): string | null {
  if (!isObject(v) || typeof v["name"] !== "string") return "not a checked spec (no name)";
  const ds = v["dataset"];
  if (!isObject(ds) || !Array.isArray(ds["input"]) || ds["input"].length !== 3 || !ds["input"].every(isPositiveInt)) return "dataset.input is not HxWxC";
  if (!Array.isArray(ds["classes"]) || ds["classes"].length === 0 || !ds["classes"].every((c) => typeof c === "string")) return "dataset.classes is not a list of names";
  for (const k of ["preprocess", "model", "train", "augment"]) if (!isObject(v[k])) return `${k} is missing`;
  return null;
}

/**
 * What is wrong with preprocess.json for this spec (null when it fits): statistics of the spec's
 * input size, for exactly the spec's steps, each `standardize dataset` step with a finite mean
 * and a positive finite std per channel (what applyPreprocess divides by), the others null.
 */
function preprocessProblem(v: unknown, spec: SpecIR): string | null {
  if (!isObject(v) || v["version"] !== 1) return "not preprocessing statistics of this ferc version";
  const [h, w, c] = spec.dataset.input;
  const n = (x: unknown): string => (typeof x === "number" ? String(x) : "?");
  if (v["height"] !== h || v["width"] !== w || v["channels"] !== c) return `statistics for ${n(v["height"])}x${n(v["width"])}x${n(v["channels"])} images, the spec's input is ${h}x${w}x${c}`;
  const steps = v["steps"], fitted = v["fitted"];
  if (!Array.isArray(steps) || JSON.stringify(steps) !== JSON.stringify(spec.preprocess.steps)) return "its steps are not the spec's preprocessing steps";
  if (!Array.isArray(fitted) || fitted.length !== steps.length) return "fitted does not have one entry per step";
  const finite = (xs: unknown, positive: boolean): boolean => isNumberArray(xs) && xs.length === c && xs.every((x) => Number.isFinite(x) && (!positive || x > 0));
  for (const [i, step] of spec.preprocess.steps.entries()) {
    const f = fitted[i];
    const dataset = step.op === "standardize" && step.mode === "dataset";
    if (dataset && !(isObject(f) && finite(f["mean"], false) && finite(f["std"], true))) return `step ${i + 1} (standardize dataset) needs { mean, std } of ${c} finite values each, std positive`;
    if (!dataset && f !== null) return `step ${i + 1} has statistics it does not use`;
  }
  return null;
}

async function requireRunDir(dir: string): Promise<void> {
  let st;
  try {
    st = await fsp.stat(dir);
  } catch {
    throw new RecordError(`${dir}: no such run directory`, dir);
  }
  if (!st.isDirectory()) throw new RecordError(`${dir} is not a run directory (it is a file)`, dir);
}

/**
 * Records written before `clean { test keep|clean }` existed have no `clean.test`: their cleaning
 * applied to the test split too, so they read as `test clean` and eval reproduces their figure
 * (`ferc eval --full-test` evaluates them on the whole test split instead).
 */
function legacyCleaning(spec: SpecIR): SpecIR {
  const clean = spec.dataset.clean as Partial<SpecIR["dataset"]["clean"]> | undefined;
  if (clean === undefined || clean.test !== undefined) return spec;
  return { ...spec, dataset: { ...spec.dataset, clean: { ...spec.dataset.clean, test: "clean" } } };
}

export async function openRun(dir: string): Promise<OpenedRun> {
  await requireRunDir(dir);
  const manifest = await readManifest(dir);
  const irFile = path.join(dir, FILES.ir);
  const spec = legacyCleaning(await readRecordJson<SpecIR>(irFile, specIrProblem, MAX_IR_BYTES));
  // Everything downstream builds what the IR says: it is checked as strictly as a spec.
  const irProblem = recordedIrProblem(spec);
  if (irProblem !== null) throw damaged(irFile, irProblem);
  const source = await readRecordText(path.join(dir, FILES.spec));
  // Missing is allowed (a run killed before it saved them; resume refits them); damaged is not.
  const preFile = path.join(dir, FILES.preprocess);
  const preprocess = (await exists(preFile)) ? await readRecordJson<PreprocessStats>(preFile, (v) => preprocessProblem(v, spec)) : null;
  return {
    dir,
    manifest,
    spec,
    source,
    preprocess,
    hasCheckpoint: { best: (await checkpointDir(dir, "best")) !== null, last: (await checkpointDir(dir, "last")) !== null },
  };
}

/**
 * A checkpoint holds as many parameters as the (checked) spec's model, or it is not this model's:
 * compared before any model is built, so a wrong or tampered checkpoint costs no allocation.
 */
export function requireFits(ckpt: LoadedCheckpoint, spec: SpecIR): void {
  const problem = checkpointProblem(ckpt.weights.shapes, spec);
  if (problem !== null) throw damaged(path.join(ckpt.dir, "model.json"), problem);
}

/** The preprocessing statistics eval and predict need, or a RecordError saying why there are none. */
function requirePreprocess(run: OpenedRun): PreprocessStats {
  if (run.preprocess !== null) return run.preprocess;
  const file = path.join(run.dir, FILES.preprocess);
  throw new RecordError(`${file} is missing; the run record is incomplete${whyIncomplete(run.manifest)}`, file);
}

/** Why a record may lack a file, from how the run ended ("" when its status does not explain it). */
function whyIncomplete(m: RunManifest): string {
  // The record's own account of its failure (ferc wrote it), shown escaped and bounded.
  if (m.status === "failed") return `: the run failed${m.message ? ` (${escapeControls(m.message.slice(0, 300))})` : ""}`;
  if (m.status === "running") return ": the run is still running, or was killed before it saved this";
  return "";
}

/** A record a run names (a teacher, an init-from record) as it can be found now: beside the run as recorded, else at its absolute path. */
function recordedPlace(runDir: string, p: { readonly relative: string; readonly absolute: string }): string {
  const near = path.resolve(runDir, p.relative);
  return existsSync(near) ? near : p.absolute;
}

/** A distilled run's teacher as it can be found now. */
const recordedTeacher = (runDir: string, d: NonNullable<RunManifest["distill"]>): string => recordedPlace(runDir, d.teacher);

export interface ResumeRunOptions {
  readonly deps: RunDeps;
  readonly backend: BackendInfo;
  readonly onEvent?: EventSink;
  readonly signal?: AbortSignal;
  readonly batchEventIntervalMs?: number;
  /** Stop at the first epoch end after this much training time (ms), as a completed run. */
  readonly timeLimitMs?: number;
  readonly minFreeBytes?: number;
  /** Resume even if the data hash differs from the recorded one (results will not match). */
  readonly allowDataChange?: boolean;
}

function currentOwner(): { pid: number; host: string } {
  return { pid: process.pid, host: os.hostname() };
}

/** True when the recorded owner is another process still alive on this machine. */
function ownerAlive(owner: RunManifest["owner"]): boolean {
  if (!owner || owner.host !== os.hostname() || owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    // EPERM: the pid exists but belongs to someone else, so it is alive (and not ours to resume).
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Continue a stopped (or crashed/failed) run from its last checkpoint, in the same directory,
 * with the same results as an uninterrupted run on the same backend. A run killed before its first
 * checkpoint restarts from epoch 0 (training is a function of the seed, so nothing differs).
 */
export async function resumeRun(dir: string, opts: ResumeRunOptions): Promise<RunOutcome> {
  // Before touching anything (checkRunsDir would create a mistyped directory): is it a record?
  return resumeOpenedRun(await openRun(dir), opts);
}

/**
 * resumeRun of a record already read (src/run/request.ts resolveRun reads it once). Its files are
 * written atomically, so reading them before the leftovers of a killed write are cleaned up sees
 * the same records; only the checkpoints are read after the cleanup.
 */
export async function resumeOpenedRun(opened: OpenedRun, opts: ResumeRunOptions): Promise<RunOutcome> {
  // Before anything is touched, the record is this process's alone (a LockHeldError otherwise).
  const lock = await acquireLock(opened.dir, "ferc run --resume");
  try {
    // Read again under the lock: another process may have resumed or finished it meanwhile.
    return await resumeLocked(await openRun(opened.dir), opts);
  } finally {
    lock.release();
  }
}

async function resumeLocked(run: OpenedRun, opts: ResumeRunOptions): Promise<RunOutcome> {
  const dir = run.dir;
  const recorded = run.manifest;
  await checkRunsDir(dir, opts.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES);
  // A run of a ferc without record locks: its recorded owner, alive, has its writes in progress.
  if (recorded.status === "running" && ownerAlive(recorded.owner)) {
    throw new RecordError(`${dir}: the run is still in progress (pid ${recorded.owner!.pid}); stop it (Ctrl-C) before resuming`);
  }
  // Leftovers of a killed process's writes: under the lock, no one else's writes are in flight.
  await cleanupTemps(dir);
  if (run.manifest.status === "completed") throw new RecordError(`${dir}: the run already completed (${run.manifest.reason ?? "epochs"}); nothing to resume`);
  const last = run.hasCheckpoint.last ? await readCheckpoint(dir, "last") : null;
  if (last?.optimizer.kind === OPTIMIZER_STATE_MISSING) throw new RecordError(`${dir}: checkpoints/last has no optimizer.bin (a weights-only record); it cannot be resumed exactly`);
  // A best checkpoint without a last one predates any resumable state; the restart rewrites it.
  const best = last && run.hasCheckpoint.best ? await readCheckpoint(dir, "best") : null;
  if (last) requireFits(last, run.spec);
  if (best) requireFits(best, run.spec);
  const t0 = Date.now();
  const rec = new RunRecorder(dir, run.manifest);
  const unguard = rec.recordForcedExit();
  let resumed = false;
  try {
    const deps = resolveDeps(opts.deps);
    opts.onEvent?.(loadingPhase(run.spec));
    const data = await deps.loadDataset(run.spec.dataset);
    // An empty recorded hash: killed before the data was loaded, so there is nothing to compare.
    if (run.manifest.dataHash !== "" && data.hash !== run.manifest.dataHash && !opts.allowDataChange) {
      throw new RecordError(`${dir}: the data changed since the run started (hash ${data.hash.slice(0, 12)} vs ${run.manifest.dataHash.slice(0, 12)})`);
    }
    // Killed before the statistics were saved: they are a function of the (unchanged) train split.
    const stats = run.preprocess ?? deps.preprocess.fitPreprocess(data.train, run.spec.preprocess);
    if (run.preprocess === null) await rec.writeJson(FILES.preprocess, stats);
    await rec.update({
      status: "running",
      reason: undefined,
      message: undefined,
      endedAt: null,
      owner: currentOwner(),
      dataHash: data.hash,
      resumes: [...(run.manifest.resumes ?? []), { at: new Date().toISOString(), fromEpoch: last?.state.epochsDone ?? 0, backend: opts.backend.name }],
    });
    resumed = true;
    const point: ResumePoint | undefined = last
      ? { state: last.state, optimizer: last.optimizer, weights: last.weights, ...(best ? { bestWeights: best.weights } : {}) }
      : undefined;
    return await executeRun(
      rec,
      run.spec,
      deps,
      data,
      stats,
      {
        onEvent: opts.onEvent,
        signal: opts.signal,
        augment: run.manifest.augment,
        backend: opts.backend,
        batchEventIntervalMs: opts.batchEventIntervalMs,
        ...(opts.timeLimitMs !== undefined ? { timeLimitMs: opts.timeLimitMs } : {}),
        resumedFromEpoch: last?.state.epochsDone ?? 0,
        ...(run.manifest.distill ? { teacher: recordedTeacher(dir, run.manifest.distill) } : {}),
        ...(run.manifest.init ? { initFrom: recordedPlace(dir, run.manifest.init.record) } : {}),
      },
      point,
    );
  } catch (e) {
    // A refusal before the resume began (the data changed) leaves the record as it was.
    if (e instanceof RecordError && !resumed) throw e;
    return recordFailure(rec, e, opts.onEvent, t0);
  } finally {
    unguard();
  }
}

export interface LoadModelOptions {
  /** Rebuild from the spec (needed for custom layers); default: tfjs topology from model.json. */
  readonly buildModel?: RunDeps["buildModel"];
  /** Default `best` (falls back to `last`). */
  readonly checkpoint?: CheckpointKind;
}

/** A run's trained model from its checkpoint (best, else last), checked against its spec. Caller disposes. */
export async function loadRunModel(run: OpenedRun, o: LoadModelOptions): Promise<LayersModel> {
  const want = o.checkpoint ?? "best";
  const other: CheckpointKind = want === "best" ? "last" : "best";
  const kind = run.hasCheckpoint[want] ? want : run.hasCheckpoint[other] ? other : null;
  if (kind === null) {
    const ck = path.join(run.dir, "checkpoints");
    throw new RecordError(`${ck} has no checkpoint (neither best/ nor last/) to load weights from${whyIncomplete(run.manifest)}`, ck);
  }
  const ckpt = await readCheckpoint(run.dir, kind);
  requireFits(ckpt, run.spec);
  // The saved topology is the compiled model of run.spec (requireFits): later stages (the
  // inference fold, the ONNX export) find its layers' kinds through the spec.
  if (!o.buildModel) return adoptSpec(await loadCheckpointModel(ckpt), run.spec);
  const model = o.buildModel(run.spec);
  try {
    restoreWeights(model, ckpt.weights);
  } catch (e) {
    model.dispose();
    void e;
    // Not tfjs's message: it names weights as the file has them.
    throw damaged(ckpt.weightsFile, `its weights do not fit the model of ${FILES.ir} (names or shapes differ)`);
  }
  return model;
}

export interface EvaluateRunOptions extends LoadModelOptions {
  readonly deps?: Partial<RunDeps>;
  /** Test-time augmentation; default: what the run's spec says (`train { tta flip }`), else none. */
  readonly tta?: Tta;
  /** Evaluate on the whole test split even when the run's spec cleaned it (`ferc eval --full-test`). */
  readonly fullTest?: boolean;
}

/** Re-evaluate a split from the (best) checkpoint with the stored preprocessing statistics. */
export async function evaluateRun(dir: string, split: SplitName, opts: EvaluateRunOptions = {}): Promise<EvalResult> {
  const run = await openRun(dir);
  const stats = requirePreprocess(run);
  const deps = resolveDeps({ buildModel: () => { throw new Error("unused"); }, ...opts.deps });
  // The model first: a damaged checkpoint is reported before minutes of data loading.
  const model = await loadRunModel(run, { buildModel: opts.buildModel ?? opts.deps?.buildModel, checkpoint: opts.checkpoint });
  try {
    // --full-test: the test split as the source has it, whatever the run's cleaning did to it.
    const dataset = opts.fullTest && split === "test" ? { ...run.spec.dataset, clean: { ...run.spec.dataset.clean, test: "keep" as const } } : run.spec.dataset;
    const data = await deps.loadDataset(dataset);
    const s = data[split];
    const x = deps.preprocess.applyPreprocess(s.pixels, stats);
    const tta = opts.tta ?? run.spec.train.tta ?? "none";
    return await evaluateModel(model, { x, labels: s.labels, n: s.n }, [s.height, s.width, s.channels], run.spec.dataset.classes, split, 256, tta, run.spec.augment.randomCrop);
  } finally {
    model.dispose();
  }
}

export interface Prediction {
  readonly classes: readonly string[];
  /** One probability per class, summing to 1. */
  readonly probabilities: readonly number[];
  readonly top: { readonly index: number; readonly name: string; readonly probability: number };
}

export interface Predictor {
  /** `pixels`: one or more images, raw 0..255 bytes in HWC order at the spec's input size. */
  predict(pixels: Uint8Array): Promise<Prediction[]>;
  /** The same, as one row of class probabilities per image ([n * classes], row-major). */
  probabilities(pixels: Uint8Array): Promise<Float32Array>;
  dispose(): void;
}

export interface PredictOptions extends LoadModelOptions {
  readonly preprocess?: RunDeps["preprocess"];
}

/** Load a run's model and preprocessing once, for many predictions. */
export async function openPredictor(dir: string, opts: PredictOptions = {}): Promise<Predictor> {
  const run = await openRun(dir);
  const stats = requirePreprocess(run);
  const pre = resolveDeps({ buildModel: () => { throw new Error("unused"); }, preprocess: opts.preprocess }).preprocess;
  const model = await loadRunModel(run, opts);
  const [h, w, c] = run.spec.dataset.input;
  const classes = run.spec.dataset.classes;
  const size = h * w * c;
  const probabilities = async (pixels: Uint8Array): Promise<Float32Array> => {
    if (pixels.length === 0 || pixels.length % size !== 0) {
      throw new Error(`expected a multiple of ${h}x${w}x${c} = ${size} bytes, got ${pixels.length}`);
    }
    // The model's centre window when it was trained on crops (augment random-crop).
    return predictProbabilities(model, pre.applyPreprocess(pixels, stats), pixels.length / size, [h, w, c], 256, run.spec.train.tta ?? "none", run.spec.augment.randomCrop);
  };
  return {
    probabilities,
    async predict(pixels) {
      const probs = await probabilities(pixels);
      const n = pixels.length / size;
      const k = classes.length;
      return Array.from({ length: n }, (_, i) => {
        const p = Array.from(probs.subarray(i * k, (i + 1) * k));
        const index = p.reduce((bi, v, j) => (v > p[bi]! ? j : bi), 0);
        return { classes, probabilities: p, top: { index, name: classes[index] ?? String(index), probability: p[index]! } };
      });
    },
    dispose() {
      // The folded inference copy (compile/fold.ts) holds weights of its own.
      releaseInferenceModel(model);
      model.dispose();
    },
  };
}

/** Class probabilities for one image (raw 0..255 HWC bytes at the spec's input size). */
export async function predictImage(dir: string, pixels: Uint8Array, opts: PredictOptions = {}): Promise<Prediction> {
  const p = await openPredictor(dir, opts);
  try {
    return (await p.predict(pixels))[0]!;
  } finally {
    p.dispose();
  }
}

