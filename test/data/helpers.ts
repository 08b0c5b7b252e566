import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import type { DatasetIR } from "../../src/ir.js";

export const FER_CLASSES = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"] as const;

/** A temp directory removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `ferc-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function csvDataset(path: string, input: [number, number, number] = [2, 2, 1], over: Partial<DatasetIR> = {}): DatasetIR {
  return {
    name: "t",
    source: { kind: "csv", path },
    input,
    classes: [...FER_CLASSES],
    split: { train: { kind: "usage", value: "Training" }, val: { kind: "usage", value: "PublicTest" }, test: { kind: "usage", value: "PrivateTest" } },
    clean: { dropBlank: false, blankThreshold: 2, dropDuplicates: false, test: "keep" },
    ...over,
  };
}

/** One CSV row for a 2x2x1 input. */
export const row = (label: number | string, pixels: string, usage = "Training"): string => `${label},${pixels},${usage}`;

/** A small valid CSV (header + rows in all three usages) for 2x2x1 images. */
export function smallCsv(eol = "\n"): string {
  return ["emotion,pixels,Usage", row(0, "1 2 3 4"), row(3, "10 20 30 40"), row(6, "0 0 0 255", "PublicTest"), row(5, "255 255 255 0", "PrivateTest")].join(eol) + eol;
}

/** Byte equality for big typed arrays (vitest's toEqual walks them element by element, very slowly). */
export const sameBytes = (a: ArrayBufferView, b: ArrayBufferView): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
