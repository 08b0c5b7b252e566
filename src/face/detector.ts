/**
 * Face detection: the tiny face detector of `@vladmandic/face-api` (a Tiny-YOLOv2 with
 * depthwise-separable convolutions, 190 kB of uint8-quantised weights in that package's `model/`
 * folder, MIT licence), re-implemented on the caller's tfjs so that it runs on ferc's own tfjs
 * instance and backend in Node and on the page's in the browser (face-api's bundles carry their
 * own copy of tfjs, a second engine with its own backends). Browser-safe: `tf` is a parameter and
 * this module imports nothing at run time; `ferc serve` sends the page this very file.
 *
 * The arithmetic follows face-api 1.7.15 (src/tinyFaceDetector, src/tinyYolov2) step for step:
 * the image padded with zeros at the bottom or right to a square, bilinear resize (no half-pixel
 * centres) to `inputSize`, minus the mean RGB, divided by 255; conv0 then five separable
 * conv + leaky-ReLU(0.1) stages with 2x2 max pools; a 1x1 conv to 13x13 cells x 5 anchors x
 * (box, score); sigmoid scores above the threshold; non-maximum suppression at IoU 0.4. So its
 * boxes and scores are face-api's (test/face/detector.test.ts compares them with face-api's own
 * Node build).
 */
import type * as TF from "@tensorflow/tfjs-core";
import type { Box, RgbaPixels } from "./pixels.js";

/** The detector's square input side; face-api's default (a multiple of 32). */
export const DETECTOR_INPUT = 416;
/** Faces scoring at or below this are dropped (face-api's default). */
export const SCORE_THRESHOLD = 0.5;
const IOU_THRESHOLD = 0.4;
const MEAN_RGB = [117.001, 114.697, 97.404] as const;
const ANCHORS: readonly (readonly [number, number])[] = [
  [1.603231, 2.094468],
  [6.041143, 7.080126],
  [2.882459, 3.518061],
  [4.266906, 5.178857],
  [9.041765, 10.66308],
];
/** face-api's leaky ReLU slope, as the float32 it multiplies by. */
const LEAK = 0.10000000149011612;

/** The weights file's manifest entries (tfjs's weights-manifest format, uint8-quantised). */
export type WeightsManifest = readonly { readonly weights: readonly TF.io.WeightsManifestEntry[]; readonly paths: readonly string[] }[];

export interface TinyFaceDetector {
  readonly weights: Readonly<Record<string, TF.Tensor>>;
  dispose(): void;
}

export interface DetectedFace {
  /** In image pixels, as the detector gives it (fractional). */
  readonly box: Box;
  /** The detector's confidence, 0..1. */
  readonly score: number;
}

export interface DetectOptions {
  readonly inputSize?: number;
  readonly scoreThreshold?: number;
}

const LAYERS = ["conv0/filters", "conv0/bias", ...[1, 2, 3, 4, 5].flatMap((i) => [`conv${i}/depthwise_filter`, `conv${i}/pointwise_filter`, `conv${i}/bias`]), "conv8/filters", "conv8/bias"];

/** Decode the weights (`manifest` and the bytes of its one `.bin` file) into tensors of `tf`. */
export function loadTinyFaceDetector(tf: typeof TF, manifest: WeightsManifest, data: ArrayBuffer): TinyFaceDetector {
  const specs = manifest.flatMap((g) => g.weights);
  const weights = tf.io.decodeWeights(data, [...specs]);
  const missing = LAYERS.filter((n) => !(n in weights));
  if (missing.length > 0) throw new Error(`tiny face detector weights lack ${missing.join(", ")}`);
  return {
    weights,
    dispose() {
      for (const t of Object.values(weights)) t.dispose();
    },
  };
}

function leaky(tf: typeof TF, x: TF.Tensor4D): TF.Tensor4D {
  const min = tf.mul(x, tf.scalar(LEAK));
  return tf.add(tf.relu(tf.sub(x, min)), min);
}

function separable(tf: typeof TF, x: TF.Tensor4D, w: TinyFaceDetector["weights"], name: string): TF.Tensor4D {
  const padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]);
  const y = tf.separableConv2d(padded, w[`${name}/depthwise_filter`] as TF.Tensor4D, w[`${name}/pointwise_filter`] as TF.Tensor4D, [1, 1], "valid");
  return leaky(tf, tf.add(y, w[`${name}/bias`]!));
}

/** The network's raw output for one RGB image: [1, cells, cells, anchors * 5]. */
function forward(tf: typeof TF, det: TinyFaceDetector, img: RgbaPixels, inputSize: number): TF.Tensor4D {
  return tf.tidy(() => {
    const { width, height } = img;
    const rgb = new Float32Array(width * height * 3);
    for (let i = 0; i < width * height; i++) for (let k = 0; k < 3; k++) rgb[3 * i + k] = img.data[4 * i + k]!;
    let x: TF.Tensor4D = tf.tensor4d(rgb, [1, height, width, 3]);
    const side = Math.max(width, height);
    if (side !== width || side !== height) x = tf.pad(x, [[0, 0], [0, side - height], [0, side - width], [0, 0]]);
    if (side !== inputSize) x = tf.image.resizeBilinear(x, [inputSize, inputSize], false, false);
    x = tf.div(tf.sub(x, tf.tensor1d([...MEAN_RGB])), tf.scalar(255));
    const w = det.weights;
    let out = leaky(tf, tf.add(tf.conv2d(x, w["conv0/filters"] as TF.Tensor4D, [1, 1], "valid"), w["conv0/bias"]!));
    for (const i of [1, 2, 3, 4, 5]) {
      out = tf.maxPool(out, [2, 2], [2, 2], "same");
      out = separable(tf, out, w, `conv${i}`);
    }
    out = tf.maxPool(out, [2, 2], [1, 1], "same");
    return tf.add(tf.conv2d(out, w["conv8/filters"] as TF.Tensor4D, [1, 1], "valid"), w["conv8/bias"]!);
  });
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

function iou(a: Box, b: Box): number {
  const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/** Greedy non-maximum suppression: the indices kept, best score first. */
function suppress(boxes: readonly Box[], scores: readonly number[]): number[] {
  let order = scores.map((s, i) => ({ s, i })).sort((a, b) => a.s - b.s).map((e) => e.i);
  const keep: number[] = [];
  while (order.length > 0) {
    const best = order.pop()!;
    keep.push(best);
    order = order.filter((i) => iou(boxes[best]!, boxes[i]!) <= IOU_THRESHOLD);
  }
  return keep;
}

/** The faces in an image, best score first, boxes in image pixels. */
export async function detectFaces(tf: typeof TF, det: TinyFaceDetector, img: RgbaPixels, opts: DetectOptions = {}): Promise<DetectedFace[]> {
  const inputSize = opts.inputSize ?? DETECTOR_INPUT;
  const threshold = opts.scoreThreshold ?? SCORE_THRESHOLD;
  if (inputSize % 32 !== 0) throw new RangeError(`detector input size ${inputSize} is not a multiple of 32`);
  const out = forward(tf, det, img, inputSize);
  const [, cells] = out.shape;
  const raw = await out.data();
  out.dispose();
  // Where the image lies in the padded square, relative to the square's side.
  const scale = inputSize / Math.max(img.width, img.height);
  const fx = inputSize / Math.round(img.width * scale), fy = inputSize / Math.round(img.height * scale);
  const boxes: Box[] = [], scores: number[] = [];
  const per = 5;
  for (let row = 0; row < cells; row++) {
    for (let col = 0; col < cells; col++) {
      for (let a = 0; a < ANCHORS.length; a++) {
        const o = ((row * cells + col) * ANCHORS.length + a) * per;
        const score = sigmoid(raw[o + 4]!);
        if (score <= threshold) continue;
        const cx = ((col + sigmoid(raw[o]!)) / cells) * fx;
        const cy = ((row + sigmoid(raw[o + 1]!)) / cells) * fy;
        const w = ((Math.exp(raw[o + 2]!) * ANCHORS[a]![0]) / cells) * fx;
        const h = ((Math.exp(raw[o + 3]!) * ANCHORS[a]![1]) / cells) * fy;
        boxes.push({ x: cx - w / 2, y: cy - h / 2, width: w, height: h });
        scores.push(score);
      }
    }
  }
  return suppress(boxes, scores).map((i) => {
    const b = boxes[i]!;
    return { box: { x: b.x * img.width, y: b.y * img.height, width: b.width * img.width, height: b.height * img.height }, score: scores[i]! };
  });
}
