/**
 * A run's model as a TensorFlow.js LayersModel directory a web page loads with
 * `tf.loadLayersModel("…/model.json")`, plus `preprocess.json`: how to turn a photo into the
 * model's input (the face crop rule, the same steps `ferc predict` applies), which views of it
 * to average (the window of a `random-crop` model, the spec's `tta`), the class names, and what
 * comes out. `ferc serve`'s page follows this manifest with ferc's own code for each step.
 */
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { PreprocessStats } from "../data/preprocess.js";
import type { Crop, Tta } from "../face/views.js";
import { FACE_CROP_RULE, type FaceCropRule } from "../face/rule.js";
import { serializeModel } from "../run/checkpoint.js";

export const TFJS_MANIFEST = "preprocess.json";

export interface TfjsManifest {
  readonly format: "ferc-tfjs";
  /** 2: `views` and `face` added; `input.shape` is the image fed, the model may take a window of it. */
  readonly version: 2;
  readonly spec: string;
  readonly runId: string;
  readonly model: "model.json";
  readonly input: {
    /** The face image the steps apply to (the spec's input size). */
    readonly shape: readonly [null, number, number, number];
    readonly dtype: "float32";
    /** How to feed it, in words, for a person writing the page. */
    readonly feed: string;
  };
  /** The run's preprocessing: apply `steps` in order to the raw 0..255 values (see src/data/preprocess.ts). */
  readonly preprocess: PreprocessStats;
  /** The model's window of the preprocessed input (null: all of it) and the views averaged (src/face/views.ts). */
  readonly views: { readonly window: readonly [number, number] | null; readonly tta: Tta; readonly modelInput: readonly [null, number, number, number] };
  /** How a photo becomes `input` (src/face/region.ts). */
  readonly face: FaceCropRule;
  readonly classes: readonly string[];
  readonly output: string;
}

export interface TfjsExport {
  /** File name → contents: model.json, weights.bin, preprocess.json. */
  readonly files: ReadonlyMap<string, string | Uint8Array>;
  readonly manifest: TfjsManifest;
}

export interface TfjsExportInfo {
  readonly spec: string;
  readonly runId: string;
  readonly classes: readonly string[];
  readonly crop?: Crop;
  readonly tta?: Tta;
}

export async function exportTfjs(model: LayersModel, stats: PreprocessStats, info: TfjsExportInfo): Promise<TfjsExport> {
  const { modelJson, weights } = await serializeModel(model);
  const tta = info.tta ?? "none";
  const [h, w] = info.crop ?? [stats.height, stats.width];
  const windows = info.crop ? (tta === "ten-crop" ? "its four corner and centre windows" : "its centre window") + ` (${h}x${w})` : "the whole input";
  const manifest: TfjsManifest = {
    format: "ferc-tfjs",
    version: 2,
    spec: info.spec,
    runId: info.runId,
    model: "model.json",
    input: {
      shape: [null, stats.height, stats.width, stats.channels],
      dtype: "float32",
      feed:
        `raw 0..255 values in HWC order of a face cut by the rule in face (grey, area-averaged to ${stats.height}x${stats.width}); ` +
        "then apply preprocess.steps in order (scale: /255; standardize per-image: (x - mean) / max(std, 1/sqrt(n)); standardize dataset: (x - mean[c]) / std[c] with preprocess.fitted); " +
        `then run the model on ${windows}${tta === "none" ? "" : ", each also mirrored left-right,"} and average the softmax outputs`,
    },
    preprocess: stats,
    views: { window: info.crop ?? null, tta, modelInput: [null, h, w, stats.channels] },
    face: FACE_CROP_RULE,
    classes: [...info.classes],
    output: `softmax probabilities [N, ${info.classes.length}] in the order of classes`,
  };
  const files = new Map<string, string | Uint8Array>([
    ["model.json", modelJson],
    ["weights.bin", weights],
    [TFJS_MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`],
  ]);
  return { files, manifest };
}
