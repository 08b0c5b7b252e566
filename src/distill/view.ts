/**
 * Per-view distillation as a run sees it (`distill ... targets per-view`): what it asks of the
 * teacher and what it gets. Declared apart from viewTeacher.ts, which opens the teacher's records
 * through src/run, so that src/run can name these without importing what imports it.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { PreprocessIR, SpecIR } from "../ir.js";

export interface ViewTeacherRequest {
  /** The student's classes, input and data: the teacher must share them. */
  readonly classes: readonly string[];
  readonly input: readonly [number, number, number];
  readonly dataHash: string;
  /** The hash a resumed run recorded: a teacher that changed since is refused. */
  readonly expectHash?: string;
  /** The student's preprocessing and its model's window (HxW): each member must share both. */
  readonly preprocess: PreprocessIR;
  readonly window: readonly [number, number];
  readonly temperature: number;
}

export interface ViewTeacher {
  readonly hash: string;
  readonly kind: "ensemble" | "run";
  readonly members: number;
  /**
   * The softened targets softmax(log p / T) of the members' mean probabilities p on `x` (a batch
   * of the student's model inputs, NHWC): a new [m, k] tensor the caller disposes.
   */
  targets(x: tf.Tensor4D): tf.Tensor2D;
  dispose(): void;
}

/** The HxW a run's model takes: its crop window, else the whole image. */
export function modelWindow(spec: Pick<SpecIR, "augment" | "dataset">): readonly [number, number] {
  return spec.augment.randomCrop ?? [spec.dataset.input[0], spec.dataset.input[1]];
}
