/**
 * The checked, fully resolved experiment: every default filled in, repeats expanded, shapes and
 * parameter counts computed. This is the contract between the checker (src/check/) and everything
 * downstream: the compiler to tfjs, the data pipeline, the trainer, fmt/diff and the IR JSON Schema
 * (grammar/ir.schema.json, generated from these types by `npm run ir:schema`; a `@schema` tag
 * adds what a type cannot say, such as a range).
 * It is plain JSON data (no class instances), so it serialises as is.
 */
import type { Span } from "./diagnostics.js";

/** @schema integer minimum=1 */
export type Shape = readonly number[];

// ---------------------------------------------------------------- dataset

export type SourceIR =
  | { readonly kind: "csv"; readonly path: string }
  | { readonly kind: "folder"; readonly path: string }
  /** Procedurally drawn faces; `count` images in all, split by `SplitIR` fractions. */
  | {
      readonly kind: "synthetic";
      /** @schema integer minimum=1 */
      readonly count: number;
      /** @schema integer minimum=0 */
      readonly seed: number;
      /** @schema minimum=0 maximum=1 */
      readonly noise: number;
    };

export type SplitRuleIR =
  /** Rows whose CSV `Usage` column equals `value`. */
  | { readonly kind: "usage"; readonly value: string }
  /** Image-folder layout: the subdirectory `dir` (`train`, `test`). */
  | { readonly kind: "folder"; readonly dir: string }
  /** A seeded fraction carved out of another split (e.g. val = 10% of train). */
  | {
      readonly kind: "fraction";
      readonly of: "train";
      /** @schema exclusiveMinimum=0 exclusiveMaximum=1 */
      readonly fraction: number;
    };

export interface DatasetIR {
  readonly name: string;
  readonly source: SourceIR;
  /**
   * [height, width, channels]
   * @schema integer minimum=1
   */
  readonly input: readonly [number, number, number];
  /** @schema minItems=2 uniqueItems=true */
  readonly classes: readonly string[];
  readonly split: { readonly train: SplitRuleIR; readonly val: SplitRuleIR; readonly test: SplitRuleIR };
  readonly clean: {
    /** Drop images whose max - min <= blankThreshold. */
    readonly dropBlank: boolean;
    /** @schema minimum=0 maximum=255 */
    readonly blankThreshold: number;
    /** Drop exact duplicate images; duplicates across splits are removed from train. */
    readonly dropDuplicates: boolean;
    /**
     * Whether the drops above also apply to the test split (`test clean`) or leave it whole
     * (`test keep`, the default): published FER2013 figures are on all 3,589 PrivateTest images.
     * Train copies of test images are dropped from train either way (leakage removal).
     */
    readonly test: "keep" | "clean";
  };
}

// ---------------------------------------------------------------- preprocessing and augmentation

export type PreprocessStepIR =
  /** Divide by 255. */
  | { readonly op: "scale" }
  /** X' = (X - mean) / std, per image, or with the train split's mean/std. */
  | { readonly op: "standardize"; readonly mode: "per-image" | "dataset" };

export interface PreprocessIR {
  readonly steps: readonly PreprocessStepIR[];
}

export interface AugmentIR {
  /** Whether the spec has an `augment` section at all (`ferc run --augment` turns it on). */
  readonly declared: boolean;
  /** @schema minimum=0 maximum=180 */
  readonly rotateDeg: number;
  /** @schema minimum=0 maximum=1 */
  readonly shiftX: number;
  /** @schema minimum=0 maximum=1 */
  readonly shiftY: number;
  /** @schema minimum=0 */
  readonly shearRad: number;
  /**
   * Zoom range as [min, max] scale factors; [1, 1] = off.
   * @schema exclusiveMinimum=0
   */
  readonly zoom: readonly [number, number];
  readonly flipHorizontal: boolean;
  /**
   * Random crop after padding by `padding` pixels; 0 = off.
   * @schema integer minimum=0
   */
  readonly cropPadding: number;
  /**
   * Random erasing probability; 0 = off.
   * @schema minimum=0 maximum=1
   */
  readonly erase: number;
  /** Fill for pixels warped in from outside: nearest edge or a constant. */
  readonly fill: "nearest" | "constant";
  /**
   * `random-crop HxW`: the model sees HxW windows of the dataset's images: a random one per
   * training image while augmenting, the centre one otherwise (val, test, predict; `tta ten-crop`
   * averages the four corners and the centre, each mirrored too). Absent: the whole image.
   * @schema integer minimum=1
   */
  readonly randomCrop?: readonly [number, number];
  /**
   * `mixup ALPHA`: mix each training batch with a permutation of itself, λ ~ Beta(α, α). Absent: off.
   * @schema exclusiveMinimum=0 maximum=10
   */
  readonly mixup?: number;
}

// ---------------------------------------------------------------- model

export type OptionValue = number | string | boolean | readonly number[];

export interface LayerIR {
  /**
   * Stable name from the layer's place: `block2.conv1`, `dense1`, `res1.proj`.
   * @schema pattern="^[A-Za-z][A-Za-z0-9_.-]*$"
   */
  readonly name: string;
  /** Layer kind as written in the language: `conv`, `batchnorm`, `residual`, ... */
  readonly kind: string;
  /** Every option of the kind, defaults filled in (see the kind's definition in src/layers/). */
  readonly options: Readonly<Record<string, OptionValue>>;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  /**
   * All parameters of this layer (and, for containers, of its children).
   * @schema integer minimum=0
   */
  readonly params: number;
  /** @schema integer minimum=0 */
  readonly trainableParams: number;
  /** Sub-layers of a container (`residual`): the main branch. */
  readonly children?: readonly LayerIR[];
  /** The residual's shortcut projection, when present. */
  readonly shortcut?: readonly LayerIR[];
  readonly span: Span;
}

export interface ModelIR {
  readonly input: Shape;
  readonly layers: readonly LayerIR[];
  readonly output: Shape;
}

// ---------------------------------------------------------------- training policy

export type OptimizerIR =
  | {
      readonly kind: "adam";
      /** @schema exclusiveMinimum=0 */
      readonly lr: number;
      /** @schema minimum=0 maximum=1 */
      readonly beta1: number;
      /** @schema minimum=0 maximum=1 */
      readonly beta2: number;
      /** @schema exclusiveMinimum=0 */
      readonly epsilon: number;
    }
  | {
      readonly kind: "sgd";
      /** @schema exclusiveMinimum=0 */
      readonly lr: number;
      /** @schema minimum=0 maximum=1 */
      readonly momentum: number;
      readonly nesterov: boolean;
    }
  | {
      readonly kind: "rmsprop";
      /** @schema exclusiveMinimum=0 */
      readonly lr: number;
      /** @schema minimum=0 maximum=1 */
      readonly rho: number;
      /** @schema minimum=0 maximum=1 */
      readonly momentum: number;
      /** @schema exclusiveMinimum=0 */
      readonly epsilon: number;
    };

export type ScheduleIR =
  | { readonly kind: "constant" }
  | {
      readonly kind: "plateau";
      readonly monitor: string;
      /** @schema minimum=0 maximum=1 */
      readonly factor: number;
      /** @schema integer minimum=0 */
      readonly patience: number;
      /** @schema minimum=0 */
      readonly minLr: number;
    }
  | {
      readonly kind: "step";
      /** @schema integer minimum=1 */
      readonly every: number;
      /** @schema minimum=0 maximum=1 */
      readonly factor: number;
    }
  | {
      readonly kind: "cosine";
      /** @schema integer minimum=0 */
      readonly warmup: number;
      /** @schema minimum=0 */
      readonly minLr: number;
    }
  /** SGDR: cosine cycles from lr to minLr, the first `period` epochs long, each next `mult` times longer. */
  | {
      readonly kind: "cosine-restarts";
      /** @schema integer minimum=1 */
      readonly period: number;
      /** @schema integer minimum=1 */
      readonly mult: number;
      /** @schema minimum=0 */
      readonly minLr: number;
    }
  /** One cycle: up from lr/div to lr over the first `peak` of the epochs, then down to lr/(div·finalDiv). */
  | {
      readonly kind: "one-cycle";
      /** @schema exclusiveMinimum=0 exclusiveMaximum=1 */
      readonly peak: number;
      /** @schema minimum=1 */
      readonly div: number;
      /** @schema minimum=1 */
      readonly finalDiv: number;
    };

export interface EarlyStopIR {
  /** `val.loss`, `val.acc`, `loss`, `acc`. */
  readonly monitor: string;
  readonly mode: "min" | "max";
  /** @schema integer minimum=0 */
  readonly patience: number;
  /** @schema minimum=0 */
  readonly minDelta: number;
  readonly restoreBest: boolean;
}

export interface TrainIR {
  readonly optimizer: OptimizerIR;
  /**
   * Decoupled L2 weight decay on kernels (0 = off).
   * @schema minimum=0
   */
  readonly weightDecay: number;
  readonly schedule: ScheduleIR;
  readonly loss: "categorical-crossentropy";
  /** @schema minimum=0 maximum=1 */
  readonly labelSmoothing: number;
  /** @schema integer minimum=1 */
  readonly batch: number;
  /** @schema integer minimum=1 */
  readonly epochs: number;
  readonly earlyStop?: EarlyStopIR;
  /**
   * `none`, `balanced` (n / (k * count_c), from the train split) or explicit per-class weights.
   * @schema minimum=0
   */
  readonly classWeights: "none" | "balanced" | readonly number[];
  /** @schema integer minimum=0 */
  readonly seed: number;
  /** Test-time augmentation for val/test evaluation; absent (older records) means none. */
  readonly tta?: "none" | "flip" | "ten-crop";
  /**
   * `ema DECAY`: validate, keep as best and finish with an exponential moving average of the weights.
   * @schema exclusiveMinimum=0 exclusiveMaximum=1
   */
  readonly ema?: number;
  /** `distill RECORD temperature T weight A`: train on a teacher's soft targets as well as the labels. */
  readonly distill?: DistillIR;
  /**
   * `init-from RECORD`: start from a run record's weights (its best checkpoint, else its last)
   * instead of the seeded initialisation: fine-tuning. The record's model must be this spec's
   * (the same weights in the same shapes). Relative to the spec file's directory.
   * @schema minLength=1
   */
  readonly initFrom?: string;
}

/**
 * Knowledge distillation: loss = A·T²·KL(teacher_T ‖ student_T) + (1 − A)·CE(labels), where
 * x_T is a distribution softened by the temperature (softmax(log x / T)). The teacher is an
 * ensemble record (or a run record), named by its directory as written (relative to the spec
 * file's directory, as a data source is); its probabilities on the train split are computed once
 * and cached (src/distill).
 */
export interface DistillIR {
  /** @schema minLength=1 */
  readonly teacher: string;
  /** @schema exclusiveMinimum=0 */
  readonly temperature: number;
  /** @schema exclusiveMinimum=0 maximum=1 */
  readonly weight: number;
  /**
   * `cached` (the default): the teacher's probabilities for each unaugmented train image, computed
   * once. `per-view`: the teacher's probabilities for the exact view the student trains on (crop,
   * warp, erasing and mixup included), computed with every batch; it costs the teacher's forward
   * pass per step and needs members that see the student's input (same preprocessing and window).
   */
  readonly targets?: "cached" | "per-view";
}

// ---------------------------------------------------------------- expectations

export type ExpectIR =
  | {
      readonly kind: "params";
      readonly which: "trainable" | "non-trainable" | "total";
      /** @schema integer minimum=0 */
      readonly value: number;
      readonly span: Span;
    }
  | { readonly kind: "shape"; readonly layer: string; readonly shape: Shape; readonly span: Span }
  /** Checked after a run: test (or val) accuracy at least `min` (a fraction). */
  | {
      readonly kind: "accuracy";
      readonly split: "val" | "test";
      /** @schema minimum=0 maximum=1 */
      readonly min: number;
      readonly span: Span;
    };

// ---------------------------------------------------------------- the whole spec

export interface ParamTotals {
  /** @schema integer minimum=0 */
  readonly trainable: number;
  /** @schema integer minimum=0 */
  readonly nonTrainable: number;
  /** @schema integer minimum=0 */
  readonly total: number;
}

/**
 * `sweep { vary PATH [v1, v2]; samples N; seed S }`: the trials `ferc sweep` runs. Values are kept
 * as canonical `.fer` text (applied to the spec's syntax tree, see src/variation/); other commands
 * ignore the section.
 */
export interface SweepIR {
  readonly vary: readonly {
    readonly path: string;
    /** @schema minItems=1 */
    readonly values: readonly string[];
  }[];
  /**
   * Seeded random sampling of this many grid points; absent = the whole grid.
   * @schema integer minimum=1
   */
  readonly samples?: number;
  /** @schema integer minimum=0 */
  readonly seed: number;
}

export interface SpecIR {
  readonly name: string;
  readonly dataset: DatasetIR;
  readonly preprocess: PreprocessIR;
  readonly augment: AugmentIR;
  readonly model: ModelIR;
  readonly train: TrainIR;
  readonly expect: readonly ExpectIR[];
  readonly totals: ParamTotals;
  /** Present when the spec declares a sweep section. */
  readonly sweep?: SweepIR;
}
