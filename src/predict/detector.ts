/**
 * The face detector's weights, read from the installed `@vladmandic/face-api` package (its
 * `model/` folder ships them; nothing is downloaded). `ferc predict` loads them into ferc's tfjs;
 * `ferc serve` hands the same two files to the page.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type * as TF from "@tensorflow/tfjs-core";
import { loadTinyFaceDetector, type TinyFaceDetector, type WeightsManifest } from "../face/detector.js";
import { FercError } from "../errors.js";

const require = createRequire(import.meta.url);

/** The weights manifest and its one data file, by their names in the package. */
export const DETECTOR_FILES = {
  manifest: "tiny_face_detector_model-weights_manifest.json",
  weights: "tiny_face_detector_model.bin",
} as const;

/** Where a detector file is in the installed package. */
export function detectorFile(name: string): string {
  return require.resolve(`@vladmandic/face-api/model/${name}`);
}

/** The detector cannot be loaded (its package is missing or damaged): a message, never a stack. */
export class DetectorError extends FercError {
  readonly kind = "spec";
}

/** The manifest and the weight bytes as the package has them. */
export async function readDetectorFiles(): Promise<{ manifest: WeightsManifest; weights: Uint8Array }> {
  let manifestText: string, weights: Buffer;
  try {
    manifestText = await readFile(detectorFile(DETECTOR_FILES.manifest), "utf8");
    weights = await readFile(detectorFile(DETECTOR_FILES.weights));
  } catch (err) {
    throw new DetectorError(`the face detector's weights are missing (they ship in the npm package @vladmandic/face-api; npm ci installs it): ${err instanceof Error ? err.message : String(err)}`);
  }
  return { manifest: JSON.parse(manifestText) as WeightsManifest, weights: new Uint8Array(weights) };
}

/** The detector on `tf`'s active backend. Caller disposes. */
export async function openDetector(tf: typeof TF): Promise<TinyFaceDetector> {
  const { manifest, weights } = await readDetectorFiles();
  // decodeWeights wants an ArrayBuffer of exactly the file's bytes.
  return loadTinyFaceDetector(tf, manifest, weights.slice().buffer);
}
