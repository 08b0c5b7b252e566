/**
 * What a run needs from the rest of ferc, injected so tests can pass tiny hand-built models and
 * generated data, and so the CLI controls data loading options (`--data`, cache, base dir).
 * Only `buildModel` is required (the CLI passes src/compile's `compileModel`); the others default
 * to the data pipeline in src/data.
 */
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { AugmentIR, DatasetIR, PreprocessIR, SpecIR } from "../ir.js";
import type { LoadedDataset, Split } from "../data/types.js";
import { applyPreprocess, augmentBatch, fitPreprocess, loadDataset } from "../data/index.js";
import type { PreprocessStats } from "../data/preprocess.js";
import type { Rng } from "../util/rng.js";
import type { CalibrationEntry } from "./calibration.js";
import type { TeacherTargets } from "../distill/soft.js";
import type { ViewTeacher, ViewTeacherRequest } from "../distill/view.js";

/** What a student must share with its teacher, and the teacher hash a resumed run recorded. */
export interface TeacherExpectation {
  readonly classes: readonly string[];
  readonly input: readonly [number, number, number];
  readonly dataHash: string;
  readonly expectHash?: string;
}

/** Distillation's teacher targets on the train split (src/distill/targets.ts, bound to a model builder). */
export type TeacherTargetsFn = (teacherDir: string, train: Split, expect: TeacherExpectation, onPhase?: (message: string) => void) => Promise<TeacherTargets>;

/** Per-view distillation's teacher (src/distill/viewTeacher.ts, bound to a model builder by src/run/launch.ts). */
export type ViewTeacherFn = (teacherDir: string, o: ViewTeacherRequest) => Promise<ViewTeacher>;

export type { PreprocessStats };

export interface PreprocessFns {
  fitPreprocess(train: Split, ir: PreprocessIR): PreprocessStats;
  applyPreprocess(pixels: Uint8Array, stats: PreprocessStats): Float32Array;
}

export type AugmentBatchFn = (src: Float32Array, dst: Float32Array, n: number, h: number, w: number, c: number, ir: AugmentIR, rng: Rng) => void;

export interface RunDeps {
  /** Build an untrained model for the spec; ferc calls it with Math.random seeded (buildSeededModel). */
  buildModel(spec: SpecIR): LayersModel;
  /** Default: src/data `loadDataset(ds)` with default options. */
  loadDataset?(ds: DatasetIR): Promise<LoadedDataset>;
  /** Default: src/data `fitPreprocess` / `applyPreprocess`. */
  preprocess?: PreprocessFns;
  /** Default: src/data `augmentBatch`. */
  augmentBatch?: AugmentBatchFn;
  /** After each epoch: the run's speed so far, for `ferc check`'s estimate (src/run/calibration.ts). Default: none. */
  calibrate?(backend: string, entry: CalibrationEntry): Promise<void>;
  /** Distillation: the teacher's targets (src/run/launch.ts binds src/distill's). Needed only by a spec with `distill`. */
  teacherTargets?: TeacherTargetsFn;
  /** Distillation with `targets per-view`: the teacher's members, opened (src/run/launch.ts binds src/distill's). */
  viewTeacher?: ViewTeacherFn;
}

export interface ResolvedDeps {
  buildModel(spec: SpecIR): LayersModel;
  loadDataset(ds: DatasetIR): Promise<LoadedDataset>;
  preprocess: PreprocessFns;
  augmentBatch: AugmentBatchFn;
  calibrate?(backend: string, entry: CalibrationEntry): Promise<void>;
  teacherTargets?: TeacherTargetsFn;
  viewTeacher?: ViewTeacherFn;
}

export function resolveDeps(d: RunDeps): ResolvedDeps {
  return {
    buildModel: d.buildModel,
    loadDataset: d.loadDataset ?? ((ds) => loadDataset(ds)),
    preprocess: d.preprocess ?? { fitPreprocess, applyPreprocess: (p, s) => applyPreprocess(p, s) },
    augmentBatch: d.augmentBatch ?? augmentBatch,
    ...(d.calibrate ? { calibrate: d.calibrate } : {}),
    ...(d.teacherTargets ? { teacherTargets: d.teacherTargets } : {}),
    ...(d.viewTeacher ? { viewTeacher: d.viewTeacher } : {}),
  };
}
