/**
 * Image-folder source, the layout of the popular Kaggle FER2013 image version:
 *   ROOT/<split dir>/<class>/*.jpg|*.png      e.g. ROOT/train/happy/0001.jpg, ROOT/test/sad/...
 * Split directories are the ones the spec's `folder` rules name. Class directories match the spec's
 * class names case-insensitively; an unknown class directory, a stray file next to the class
 * directories, a file that is not a JPEG/PNG (by content) or that cannot be read/decoded is a
 * DataError naming its path, as is a FIFO, device or link among the images, or more images than
 * the memory cap (src/data/limits.ts) allows. Two conversions are applied and counted instead of failing:
 * colour -> grey (ITU-R 601 luma) and any other size -> bilinear resize to the input size.
 */
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { DataError } from "./errors.js";
import { GrowableBytes } from "./growable.js";
import { decodeImage, isColour, resizeBilinear, rgbaToChannels } from "./image.js";
import { MAX_IMAGE_FILE_BYTES, maxSourceBytes, overCapMessage } from "./limits.js";
import { readRegularFile } from "./regularFile.js";
import { fileKind } from "../util/fileKind.js";
import type { Conversions, SourceImages } from "./types.js";

export interface FolderOptions {
  readonly input: readonly [number, number, number];
  readonly classes: readonly string[];
  /** Top-level directories to read, in group order (from the folder split rules). */
  readonly dirs: readonly string[];
  readonly onProgress?: (done: number, total: number) => void;
}

async function listDir(path: string, root: string): Promise<import("node:fs").Dirent[]> {
  try {
    const entries = await readdir(path, { withFileTypes: true });
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (e) {
    throw new DataError(`cannot read directory: ${(e as Error).message}`, { file: root, path });
  }
}

export async function readImageFolder(root: string, opts: FolderOptions): Promise<SourceImages> {
  const [height, width, channels] = opts.input;
  const rowSize = height * width * channels;
  const cap = maxSourceBytes();
  const classIndex = new Map(opts.classes.map((c, i) => [c.toLowerCase(), i] as const));
  // First pass: list every file, so errors in the layout come before any slow decoding.
  const jobs: { path: string; label: number; group: number }[] = [];
  const rootEntries = await listDir(root, root);
  const groupNames: string[] = [];
  for (const [g, dir] of opts.dirs.entries()) {
    const entry = rootEntries.find((e) => e.name.toLowerCase() === dir.toLowerCase());
    const dirPath = join(root, entry?.name ?? dir);
    if (entry === undefined || !entry.isDirectory()) {
      throw new DataError(`split directory ${JSON.stringify(dir)} not found`, { file: root, path: dirPath });
    }
    groupNames.push(dir);
    for (const cls of await listDir(dirPath, root)) {
      const clsPath = join(dirPath, cls.name);
      if (!cls.isDirectory()) throw new DataError(`expected only class directories in ${dirPath}, found a file`, { file: root, path: clsPath });
      const label = classIndex.get(cls.name.toLowerCase());
      if (label === undefined) {
        throw new DataError(`unknown class directory ${JSON.stringify(cls.name)} (classes: ${opts.classes.join(", ")})`, { file: root, path: clsPath });
      }
      for (const f of await listDir(clsPath, root)) {
        const p = join(clsPath, f.name);
        if (!f.isFile()) throw new DataError(`expected an image file, found ${f.isDirectory() ? "a directory" : fileKind(await lstat(p))}`, { file: root, path: p });
        jobs.push({ path: p, label, group: g });
        // Refused before any decoding: the pixels of this many images would pass the cap.
        if (jobs.length * rowSize > cap) throw new DataError(overCapMessage(jobs.length - 1, rowSize, cap), { file: root, path: clsPath });
      }
    }
  }
  const pixels = new GrowableBytes(1 << 16, cap);
  const labels = new GrowableBytes(1 << 10);
  const groups = new GrowableBytes(1 << 10);
  const conversions: Conversions = { colourToGrey: 0, greyToColour: 0, resized: 0 };
  for (const [k, job] of jobs.entries()) {
    let bytes: Buffer;
    try {
      // A regular file of bounded size, checked on the descriptor it is read from.
      bytes = await readRegularFile(job.path, MAX_IMAGE_FILE_BYTES);
    } catch (e) {
      throw new DataError(`cannot read image: ${(e as Error).message}`, { file: root, path: job.path });
    }
    let img;
    try {
      img = decodeImage(bytes);
    } catch (e) {
      throw new DataError(`cannot decode image: ${(e as Error).message}`, { file: root, path: job.path });
    }
    const colour = isColour(img);
    if (colour && channels === 1) conversions.colourToGrey++;
    if (!colour && channels === 3) conversions.greyToColour++;
    let data = rgbaToChannels(img, channels);
    if (img.width !== width || img.height !== height) {
      data = resizeBilinear(data, img.width, img.height, channels, width, height);
      conversions.resized++;
    }
    pixels.reserve(rowSize).set(data, pixels.length);
    pixels.length += rowSize;
    labels.push(job.label);
    groups.push(job.group);
    if (k % 256 === 0) opts.onProgress?.(k, jobs.length);
  }
  opts.onProgress?.(jobs.length, jobs.length);
  return {
    n: jobs.length,
    height,
    width,
    channels,
    pixels: pixels.toArray(),
    labels: labels.toArray(),
    groups: groups.toArray(),
    groupNames,
    groupFirstRow: groupNames.map(() => -1),
    conversions,
  };
}
