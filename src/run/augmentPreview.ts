/**
 * `ferc show --augment`: what `ferc run --augment` feeds the net, as a picture. A few training
 * faces (the first of each class) and several augmented draws of each, made by the trainer's own
 * batch assembler (src/train/batch.ts: the augment section's warp and erasing, then the model's
 * random-crop window, then mixup, all from one seeded stream), on the preprocessed images, shown
 * with each row's original range mapped to black..white.
 */
import type { SpecIR } from "../ir.js";
import { applyPreprocess, augmentBatch, fitPreprocess, loadDataset } from "../data/index.js";
import { makeBatchAssembler, modelInputShape } from "../train/batch.js";
import { createRng } from "../util/rng.js";
import { printDocument } from "../format/print.js";
import { fromIR } from "../schema/section.js";
import { AUGMENT } from "../sections/augment.js";
import { BLACK, Canvas, clip, GREY } from "../image/raster.js";

export interface AugmentPreviewOptions {
  /** `--data PATH` instead of the spec's source (relative to the working directory). */
  readonly dataPath?: string;
  /** The spec file's directory (its relative source is relative to it). */
  readonly baseDir?: string;
  /** Faces shown (default: one per class). */
  readonly rows?: number;
  /** Augmented draws of each (default 8). */
  readonly draws?: number;
  readonly seed?: number;
  /** Pixels per image pixel (default 2). */
  readonly scale?: number;
}

export interface AugmentPreview {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
  /** Which train images are shown (index in the train split) and their class. */
  readonly faces: readonly { readonly index: number; readonly label: string }[];
  /** The faces as preprocessed (the net's values, whole images), one after another. */
  readonly original: Float32Array;
  /** Each draw: the net's input for every face (the crop window's shape when there is one). */
  readonly draws: readonly Float32Array[];
}

/** The first image of each class in turn, then the next ones, until `rows` are picked. */
export function pickFaces(labels: Uint8Array, classes: number, rows: number): number[] {
  const byClass = Array.from({ length: classes }, () => [] as number[]);
  labels.forEach((l, i) => byClass[l]?.push(i));
  const out: number[] = [];
  for (let round = 0; out.length < rows && round < labels.length; round++) {
    let added = false;
    for (const list of byClass) {
      if (out.length >= rows) break;
      const i = list[round];
      if (i !== undefined) {
        out.push(i);
        added = true;
      }
    }
    if (!added) break;
  }
  return out;
}

/** The augment section on one line: `rotate 40deg; shift 0.2 0.2; flip horizontal`. */
export function augmentLine(spec: SpecIR): string {
  return printDocument(fromIR(AUGMENT, spec.augment)).split("\n").map((l) => l.trim()).filter(Boolean).join("; ");
}

export async function augmentPreview(spec: SpecIR, o: AugmentPreviewOptions = {}): Promise<AugmentPreview> {
  const data = await loadDataset(spec.dataset, { ...(o.dataPath !== undefined ? { dataPath: o.dataPath } : {}), ...(o.baseDir !== undefined ? { baseDir: o.baseDir } : {}) });
  const train = data.train;
  const [h, w, c] = [train.height, train.width, train.channels];
  const size = h * w * c;
  const classes = spec.dataset.classes;
  const faces = pickFaces(train.labels, classes.length, o.rows ?? classes.length);
  if (faces.length === 0) throw new Error("the train split is empty: no faces to show");
  const n = faces.length;
  const pixels = new Uint8Array(n * size);
  const labels = new Uint8Array(n);
  faces.forEach((f, i) => {
    pixels.set(train.pixels.subarray(f * size, (f + 1) * size), i * size);
    labels[i] = train.labels[f]!;
  });
  // Statistics from the whole train split, as a run fits them.
  const x = applyPreprocess(pixels, fitPreprocess(train, spec.preprocess));
  const crop = spec.augment.randomCrop;
  const next = makeBatchAssembler({
    train: { x, labels, n },
    shape: [h, w, c],
    batchSize: n,
    augment: (src, dst, m, rng) => augmentBatch(src, dst, m, h, w, c, spec.augment, rng),
    ...(crop ? { crop } : {}),
    ...(spec.augment.mixup !== undefined ? { mixup: spec.augment.mixup } : {}),
    rng: createRng(o.seed ?? spec.train.seed),
  });
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const draws = o.draws ?? 8;
  const [mh, mw] = modelInputShape([h, w, c], crop);
  const msize = mh * mw * c;
  const drawn: Float32Array[] = [];
  for (let d = 0; d < draws; d++) drawn.push(next(order, 0, n).xs.slice(0, n * msize));

  // Layout: a label column, the original, then the draws; a title and a header row above.
  const scale = o.scale ?? 2;
  const cell = Math.max(h, w) * scale;
  const gap = 8;
  const label = 12 + Math.min(12, Math.max(...classes.map((k) => k.length))) * 12;
  const top = 76;
  const width = Math.max(label + (draws + 1) * (cell + gap) + gap, 640);
  const height = top + n * (cell + gap) + gap;
  const cv = new Canvas(width, height);
  cv.text(gap, 8, clip(`${spec.name}: what --augment feeds the net (seed ${o.seed ?? spec.train.seed})`, Math.floor((width - 2 * gap) / 12)), BLACK, 2);
  cv.text(gap, 32, clip(`augment { ${augmentLine(spec)} }`, Math.floor((width - 2 * gap) / 6)), GREY, 1);
  const colX = (j: number): number => label + j * (cell + gap);
  cv.textCentred(colX(0), cell, top - 20, "original", GREY, 1);
  for (let d = 0; d < draws; d++) cv.textCentred(colX(d + 1), cell, top - 20, `draw ${d + 1}`, GREY, 1);
  // Grey from the net's values: each row's original range is black..white, so the draws compare.
  const toGrey = (v: Float32Array, lo: number, hi: number): Float32Array => v.map((t) => ((t - lo) / (hi - lo || 1)) * 255);
  for (let i = 0; i < n; i++) {
    const y = top + i * (cell + gap);
    const name = classes[labels[i]!] ?? String(labels[i]);
    cv.text(gap, y + cell / 2 - 8, clip(name, 12), BLACK, 2);
    const original = x.subarray(i * size, (i + 1) * size);
    let lo = Infinity, hi = -Infinity;
    for (const v of original) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    // Only the first channel is drawn (FER2013 is grey).
    const channel = (v: Float32Array, px: number) => (c === 1 ? v : v.filter((_, k) => k % c === 0).subarray(0, px));
    cv.grey(colX(0), y, toGrey(channel(original, h * w), lo, hi), w, h, scale);
    for (let d = 0; d < draws; d++) {
      const img = drawn[d]!.subarray(i * msize, (i + 1) * msize);
      const off = Math.floor((cell - mw * scale) / 2);
      cv.grey(colX(d + 1) + off, y + Math.floor((cell - mh * scale) / 2), toGrey(channel(img, mh * mw), lo, hi), mw, mh, scale);
    }
  }
  return { png: cv.png(), width, height, faces: faces.map((f, i) => ({ index: f, label: classes[labels[i]!] ?? String(labels[i]) })), original: x, draws: drawn };
}
