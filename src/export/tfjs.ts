/**
 * A run's model as a TensorFlow.js LayersModel directory a web page loads with
 * `tf.loadLayersModel("…/model.json")`, plus `preprocess.json`: how to turn an image into the
 * model's input (the same steps `ferc predict` applies), the class names, and what comes out.
 */
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { PreprocessStats } from "../data/preprocess.js";
import { serializeModel } from "../run/checkpoint.js";

export const TFJS_MANIFEST = "preprocess.json";

export interface TfjsManifest {
  readonly format: "ferc-tfjs";
  readonly version: 1;
  readonly spec: string;
  readonly runId: string;
  readonly model: "model.json";
  readonly input: {
    readonly shape: readonly [null, number, number, number];
    readonly dtype: "float32";
    /** How to feed it, in words, for a person writing the page. */
    readonly feed: string;
  };
  /** The run's preprocessing: apply `steps` in order to the raw 0..255 values (see src/data/preprocess.ts). */
  readonly preprocess: PreprocessStats;
  readonly classes: readonly string[];
  readonly output: string;
}

export interface TfjsExport {
  /** File name → contents: model.json, weights.bin, preprocess.json. */
  readonly files: ReadonlyMap<string, string | Uint8Array>;
  readonly manifest: TfjsManifest;
}

export async function exportTfjs(model: LayersModel, stats: PreprocessStats, info: { spec: string; runId: string; classes: readonly string[] }): Promise<TfjsExport> {
  const { modelJson, weights } = await serializeModel(model);
  const manifest: TfjsManifest = {
    format: "ferc-tfjs",
    version: 1,
    spec: info.spec,
    runId: info.runId,
    model: "model.json",
    input: {
      shape: [null, stats.height, stats.width, stats.channels],
      dtype: "float32",
      feed:
        `raw 0..255 values in HWC order: greyscale (ITU-R 601 luma, rounded), centre square crop, bilinear resize to ${stats.height}x${stats.width}; ` +
        "then apply preprocess.steps in order (scale: /255; standardize per-image: (x - mean) / max(std, 1/sqrt(n)); standardize dataset: (x - mean[c]) / std[c] with preprocess.fitted)",
    },
    preprocess: stats,
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
