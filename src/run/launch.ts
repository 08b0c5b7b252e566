/**
 * Starting a resolved run (src/run/request.ts) on the backend the caller activated: the data
 * loader its request asks for, the speed calibration `ferc check` estimates from, then a new run
 * or the resume of the record the resolution read.
 */
import type { EventSink } from "../train/events.js";
import { defaultCacheDir } from "../data/index.js";
import { calibrationPath, writeCalibration } from "./calibration.js";
import { datasetLoader } from "./data.js";
import type { RunDeps } from "./deps.js";
import type { ResolvedRun } from "./request.js";
import { resumeOpenedRun, startRun, type BackendInfo, type RunOutcome } from "./run.js";
import { overridesOf, specAsRun } from "./asRun.js";
import { tensorBoardLog } from "./tensorboard.js";
import { teacherTargets } from "../distill/targets.js";
import { openViewTeacher } from "../distill/viewTeacher.js";

export interface LaunchOptions {
  /** Builds the spec's untrained model (src/compile `modelBuilder` for the backend). */
  readonly buildModel: RunDeps["buildModel"];
  /** The backend already activated (src/backend `selectBackend`). */
  readonly backend: BackendInfo;
  readonly onEvent?: EventSink;
  /** Abort = stop after the current batch, checkpoint, record; outcome exitCode 130. */
  readonly signal?: AbortSignal;
  /** Told what went wrong besides the run itself (TensorBoard logs that could not be written). */
  readonly onWarning?: (message: string) => void;
}

export async function launchRun(r: ResolvedRun, o: LaunchOptions): Promise<RunOutcome> {
  const deps: RunDeps = {
    buildModel: o.buildModel,
    // The measured speed, for `ferc check`'s seconds-per-epoch estimate (next to the data cache).
    calibrate: (backend, entry) => writeCalibration(calibrationPath(defaultCacheDir()), backend, entry),
    loadDataset: datasetLoader(r.data),
    // Distillation's teacher, on this backend, cached beside the data cache.
    teacherTargets: (dir, train, expect, onPhase) => teacherTargets(dir, train, { ...expect, buildModel: o.buildModel, cacheDir: defaultCacheDir() }, onPhase),
    viewTeacher: (dir, vo) => openViewTeacher(dir, { ...vo, buildModel: o.buildModel }),
  };
  // Every run also logs for TensorBoard, from the same events the dashboard draws.
  const tb = r.kind === "resume" ? tensorBoardLog({ spec: specAsRun(r.run.spec, r.run.manifest), overrides: overridesOf(r.run.manifest) }) : tensorBoardLog({ spec: r.spec, overrides: r.overrides });
  const onEvent: EventSink = (e) => {
    tb.onEvent(e);
    o.onEvent?.(e);
  };
  const common = {
    deps,
    backend: o.backend,
    onEvent,
    ...(o.signal ? { signal: o.signal } : {}),
    ...(r.timeLimitMs !== undefined ? { timeLimitMs: r.timeLimitMs } : {}),
  };
  try {
    return await launch(r, common);
  } finally {
    tb.close();
    if (tb.error !== undefined) o.onWarning?.(`TensorBoard logs${tb.file ? ` (${tb.file})` : ""} stopped: ${tb.error}`);
  }
}

function launch(r: ResolvedRun, common: Parameters<typeof resumeOpenedRun>[1]): Promise<RunOutcome> {
  if (r.kind === "resume") return resumeOpenedRun(r.run, common);
  return startRun({
    ...common,
    spec: r.spec,
    source: r.source,
    augment: r.augment,
    flags: r.flags,
    overrides: r.overrides,
    ...(r.git ? { git: r.git } : {}),
    ...(r.dataSource !== undefined ? { dataSource: r.dataSource } : {}),
    ...(r.runsDir !== undefined ? { runsDir: r.runsDir } : {}),
    ...(r.teacher !== undefined ? { teacher: r.teacher } : {}),
    ...(r.initFrom !== undefined ? { initFrom: r.initFrom } : {}),
  });
}
