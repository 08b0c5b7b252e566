/**
 * `ferc predict` on photographs: decode, find the faces (src/face/faces.ts: the same detector,
 * crop rule and resize as the serve page), classify each with the run's predictor (its
 * preprocessing, window and test-time views), and optionally write what the model saw.
 */
import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import type * as TF from "@tensorflow/tfjs-core";
import { PNG } from "pngjs";
import { decodeImage, type RgbaImage } from "../data/image.js";
import { faceInputs } from "../face/faces.js";
import type { TinyFaceDetector } from "../face/detector.js";
import type { Box, InputShape } from "../face/region.js";
import type { Prediction } from "../run/run.js";
import { FercError } from "../errors.js";

export interface PredictedFace {
  /** The region of the image the model's input was cut from (integer pixels). */
  readonly box: Box;
  /** The detector's own box (rounded to 0.1 px) and score; absent when the image was taken as a face crop. */
  readonly detection?: { readonly box: Box; readonly score: number };
  readonly probabilities: Record<string, number>;
  readonly top: string;
  /** Where `--save-input` wrote the model's input. */
  readonly input?: string;
}

export interface PredictedImage {
  readonly image: string;
  readonly width: number;
  readonly height: number;
  /** False: the image was taken as one face crop (`--no-detect`, or an image at the input size). */
  readonly detected: boolean;
  /** Left to right; empty when the detector found no face. */
  readonly faces: PredictedFace[];
}

/** A file that is not an image we can read: the message names it. */
export class ImageError extends FercError {
  readonly kind = "spec";
}

export interface PredictImageOptions {
  readonly tf: typeof TF;
  /** null: take each image as a face crop (`--no-detect`). */
  readonly detector: TinyFaceDetector | null;
  readonly input: InputShape;
  /** Class probabilities of one or more inputs (raw HWC bytes at `input`), as `Predictor.predict`. */
  readonly predict: (pixels: Uint8Array) => Prediction[] | Promise<Prediction[]>;
  /** Write each face's input as a PNG into this directory. */
  readonly saveInputDir?: string;
}

export function readImage(file: string, bytes: Buffer): RgbaImage {
  try {
    return decodeImage(bytes);
  } catch (err) {
    throw new ImageError(`${file}: cannot decode the image (${err instanceof Error ? err.message : String(err)})`);
  }
}

const round1 = (v: number): number => Math.round(v * 10) / 10;

export async function predictImage(file: string, img: RgbaImage, o: PredictImageOptions, saved: Set<string>): Promise<PredictedImage> {
  const found = await faceInputs(o.tf, o.detector, img, o.input);
  const size = o.input[0] * o.input[1] * o.input[2];
  const all = new Uint8Array(found.faces.length * size);
  found.faces.forEach((f, i) => all.set(f.pixels, i * size));
  const predictions = found.faces.length > 0 ? await o.predict(all) : [];
  const faces: PredictedFace[] = [];
  for (const [i, f] of found.faces.entries()) {
    const p = predictions[i]!;
    const input = o.saveInputDir !== undefined ? await saveInput(o.saveInputDir, file, i + 1, f.pixels, o.input, saved) : undefined;
    faces.push({
      box: f.region,
      ...(f.detection
        ? { detection: { box: { x: round1(f.detection.box.x), y: round1(f.detection.box.y), width: round1(f.detection.box.width), height: round1(f.detection.box.height) }, score: Math.round(f.detection.score * 1e4) / 1e4 } }
        : {}),
      probabilities: Object.fromEntries(p.classes.map((k, j) => [k, p.probabilities[j]!])),
      top: p.top.name,
      ...(input !== undefined ? { input } : {}),
    });
  }
  return { image: file, width: img.width, height: img.height, detected: found.detected, faces };
}

/** `DIR/<image name>-face<k>.png`, made unique when two images share a name. */
async function saveInput(dir: string, file: string, k: number, pixels: Uint8Array, input: InputShape, saved: Set<string>): Promise<string> {
  const stem = path.basename(file).replace(/\.[^.]+$/, "");
  let out = path.join(dir, `${stem}-face${k}.png`);
  for (let n = 2; saved.has(out); n++) out = path.join(dir, `${stem}-${n}-face${k}.png`);
  saved.add(out);
  const [h, w, c] = input;
  const png = new PNG({ width: w, height: h, colorType: c === 1 ? 0 : 2 });
  for (let i = 0; i < w * h; i++) {
    for (let j = 0; j < 3; j++) png.data[4 * i + j] = pixels[i * c + (c === 1 ? 0 : j)]!;
    png.data[4 * i + 3] = 255;
  }
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(out, PNG.sync.write(png, { colorType: c === 1 ? 0 : 2 }));
  } catch (err) {
    throw new ImageError(`--save-input ${dir}: cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return out;
}
