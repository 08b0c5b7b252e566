/** Public surface of run records. */
export { startRun, resumeRun, resumeOpenedRun, openRun, evaluateRun, predictImage, openPredictor } from "./run.js";
export { resolveRun, applyOverrides, RunRequestError } from "./request.js";
export type { RunRequest, RunTarget, RunOverrides, DataOptions, RunDataOptions, ResolvedRun, ResolvedStart, ResolvedResume, RecordedFlags } from "./request.js";
export { launchRun, type LaunchOptions } from "./launch.js";
export { datasetLoader, limitTrain } from "./data.js";
export { effectiveSourcePath, recordedSourcePath } from "./dataSource.js";
export type { StartRunOptions, ResumeRunOptions, EvaluateRunOptions, PredictOptions, Prediction, Predictor, OpenedRun, BackendInfo, RunOutcome } from "./run.js";
export type { RunDeps, PreprocessFns, AugmentBatchFn } from "./deps.js";
export { readManifest, writeManifest, manifestErrors, RUN_SCHEMA_PATH, type RunManifest } from "./manifest.js";
export { checkRunsDir, RunDirError, DEFAULT_MIN_FREE_BYTES } from "./preflight.js";
export { stopOnSignals, type StopSignals } from "./signals.js";
export { writeFileAtomic, writeDirAtomic, resolveSwappedDir, cleanupTemps } from "./atomicFs.js";
export { readCheckpoint, writeCheckpoint, loadCheckpointModel } from "./checkpoint.js";
export { FILES as RUN_FILES } from "./layout.js";
