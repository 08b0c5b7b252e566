/** Public surface of the trainer. */
export * from "./events.js";
export { trainModel, buildSeededModel, initialTrainerState, streamRng } from "./trainer.js";
export type { TrainOptions, TrainResult, TrainReason, TrainerData, TrainerHooks, CheckpointRequest, ResumePoint, AugmentFn } from "./trainer.js";
export { evaluateModel, predictProbabilities } from "./evaluate.js";
export type { ArraySplit, ImageShape } from "./evaluate.js";
export { lrForEpoch, updateSchedule, initialScheduleState } from "./schedule.js";
export type { ScheduleState } from "./schedule.js";
export { makeTracker, updateBest, initialBestState, patienceLeft } from "./earlyStop.js";
export { resolveClassWeights, classCounts } from "./classWeights.js";
export { perClassMetrics, accuracyOf, macroF1, emptyConfusion, addToConfusion } from "./metrics.js";
export { createOptimizer, setLearningRate, exportOptimizerState, importOptimizerState } from "./optimizer.js";
export type { OptimizerState, SavedTensor } from "./optimizer.js";
export { snapshotWeights, restoreWeights } from "./weights.js";
export type { WeightSnapshot } from "./weights.js";
export { parseTrainerState } from "./state.js";
export type { TrainerState, EpochProgress } from "./state.js";
