/**
 * Cleaning: drop near-blank images (max - min <= threshold) and exact pixel duplicates.
 * Within a split the first copy is kept; a train image that also appears in val or test is removed
 * from train, because training on a test image inflates the reported accuracy. The test split
 * itself is left whole unless asked (`cleanTest`), so test figures compare with published ones.
 */
import type { PerSplit, Split } from "./types.js";

/** Indices of the images in `split` to keep (ascending). */
function filterSplit(split: Split, keep: (i: number) => boolean): Split {
  const rowSize = split.height * split.width * split.channels;
  const idx: number[] = [];
  for (let i = 0; i < split.n; i++) if (keep(i)) idx.push(i);
  if (idx.length === split.n) return split;
  const pixels = new Uint8Array(idx.length * rowSize);
  const labels = new Uint8Array(idx.length);
  idx.forEach((src, dst) => {
    pixels.set(split.pixels.subarray(src * rowSize, (src + 1) * rowSize), dst * rowSize);
    labels[dst] = split.labels[src]!;
  });
  return { ...split, n: idx.length, pixels, labels };
}

/** True when the image's dynamic range (max - min over all its values) is at most `threshold`. */
export function isBlank(pixels: Uint8Array, offset: number, size: number, threshold: number): boolean {
  let lo = pixels[offset]!, hi = lo;
  for (let j = offset + 1, end = offset + size; j < end; j++) {
    const v = pixels[j]!;
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
    else continue;
    // Real images exceed the threshold within a few pixels; stop as soon as they do.
    if (hi - lo > threshold) return false;
  }
  return hi - lo <= threshold;
}

export function dropBlank(split: Split, threshold: number): { split: Split; dropped: number } {
  const size = split.height * split.width * split.channels;
  const out = filterSplit(split, (i) => !isBlank(split.pixels, i * size, size, threshold));
  return { split: out, dropped: split.n - out.n };
}

/**
 * Per-image hashes (FNV-1a style, over 32-bit words when the layout allows, 4x fewer steps than
 * bytes). Only a bucket key: equality is always confirmed byte by byte.
 */
function imageHashes(split: Split): Uint32Array {
  const size = split.height * split.width * split.channels;
  const out = new Uint32Array(split.n);
  const px = split.pixels;
  if (size % 4 === 0 && px.byteOffset % 4 === 0) {
    const words = new Uint32Array(px.buffer, px.byteOffset, (split.n * size) / 4);
    const wsize = size / 4;
    for (let i = 0; i < split.n; i++) {
      let h = 0x811c9dc5;
      for (let j = i * wsize, end = j + wsize; j < end; j++) h = Math.imul(h ^ words[j]!, 0x01000193) ^ (h >>> 15);
      out[i] = h >>> 0;
    }
  } else {
    for (let i = 0; i < split.n; i++) {
      let h = 0x811c9dc5;
      for (let j = i * size, end = j + size; j < end; j++) h = Math.imul(h ^ px[j]!, 0x01000193);
      out[i] = h >>> 0;
    }
  }
  return out;
}

function sameImage(a: Uint8Array, ai: number, b: Uint8Array, bi: number, size: number): boolean {
  for (let j = 0; j < size; j++) if (a[ai + j] !== b[bi + j]) return false;
  return true;
}

/** An exact-match index over a set of images. */
class ImageIndex {
  private readonly buckets = new Map<number, number[]>();
  constructor(private readonly split: Split, private readonly size: number) {}

  /** Index of an equal image already added, or -1. */
  find(pixels: Uint8Array, offset: number, hash: number): number {
    const bucket = this.buckets.get(hash);
    if (bucket === undefined) return -1;
    for (const k of bucket) if (sameImage(this.split.pixels, k * this.size, pixels, offset, this.size)) return k;
    return -1;
  }

  add(i: number, hash: number): void {
    const bucket = this.buckets.get(hash);
    if (bucket === undefined) this.buckets.set(hash, [i]);
    else bucket.push(i);
  }
}

export interface DuplicateResult {
  readonly splits: PerSplit<Split>;
  readonly withinSplit: PerSplit<number>;
  readonly trainInValOrTest: number;
  readonly valTestShared: number;
}

export interface DuplicateOptions {
  /**
   * Drop duplicates within the test split too (default true). When false the test split is left
   * whole, its repeats are still counted, and train copies of its images still leave train.
   */
  readonly cleanTest?: boolean;
}

export function dropDuplicates(splits: PerSplit<Split>, opts: DuplicateOptions = {}): DuplicateResult {
  const cleanTest = opts.cleanTest ?? true;
  const size = splits.train.height * splits.train.width * splits.train.channels;
  const withinSplit: PerSplit<number> = { train: 0, val: 0, test: 0 };
  const indexes: Partial<PerSplit<ImageIndex>> = {};
  const keeps: Partial<PerSplit<Uint8Array>> = {};
  const hashes: Partial<PerSplit<Uint32Array>> = {};
  for (const name of ["val", "test", "train"] as const) {
    const s = splits[name];
    const hs = imageHashes(s);
    const index = new ImageIndex(s, size);
    const keep = new Uint8Array(s.n);
    const dropRepeats = name !== "test" || cleanTest;
    for (let i = 0; i < s.n; i++) {
      if (index.find(s.pixels, i * size, hs[i]!) >= 0) {
        if (dropRepeats) withinSplit[name]++;
        else keep[i] = 1;
      }
      else {
        index.add(i, hs[i]!);
        keep[i] = 1;
      }
    }
    hashes[name] = hs;
    indexes[name] = index;
    keeps[name] = keep;
  }
  // Cross-split: drop train images present in val or test; count val images also in test.
  const train = splits.train;
  const th = hashes.train!, tk = keeps.train!;
  let trainInValOrTest = 0;
  for (let i = 0; i < train.n; i++) {
    if (tk[i] === 0) continue;
    if (indexes.val!.find(train.pixels, i * size, th[i]!) >= 0 || indexes.test!.find(train.pixels, i * size, th[i]!) >= 0) {
      tk[i] = 0;
      trainInValOrTest++;
    }
  }
  const val = splits.val, vk = keeps.val!, vh = hashes.val!;
  let valTestShared = 0;
  for (let i = 0; i < val.n; i++) if (vk[i] === 1 && indexes.test!.find(val.pixels, i * size, vh[i]!) >= 0) valTestShared++;
  return {
    splits: {
      train: filterSplit(train, (i) => tk[i] === 1),
      val: filterSplit(val, (i) => vk[i] === 1),
      test: cleanTest ? filterSplit(splits.test, (i) => keeps.test![i] === 1) : splits.test,
    },
    withinSplit,
    trainInValOrTest,
    valTestShared,
  };
}
