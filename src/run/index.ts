/** Public surface of run records. */
export { startRun, resumeRun, openRun, evaluateRun, predictImage, openPredictor } from "./run.js";
export type { StartRunOptions, ResumeRunOptions, EvaluateRunOptions, PredictOptions, Prediction, Predictor, OpenedRun, BackendInfo, RunOutcome } from "./run.js";
export type { RunDeps, PreprocessFns, AugmentBatchFn } from "./deps.js";
export { readManifest, writeManifest, manifestErrors, RUN_SCHEMA_PATH, type RunManifest } from "./manifest.js";
export { checkRunsDir, RunDirError, DEFAULT_MIN_FREE_BYTES } from "./preflight.js";
export { stopOnSignals, type StopSignals } from "./signals.js";
export { writeFileAtomic, writeDirAtomic, resolveSwappedDir, cleanupTemps } from "./atomicFs.js";
export { readCheckpoint, writeCheckpoint, loadCheckpointModel } from "./checkpoint.js";
export { FILES as RUN_FILES } from "./layout.js";
