import { describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { dropBlank, dropDuplicates, formatDataReport, isBlank, loadDataset, type Split } from "../../src/data/index.js";
import { csvDataset, row, tempDir } from "./helpers.js";

/** A split of 2x2x1 images given as arrays of 4 values. */
function split(images: number[][], labels?: number[]): Split {
  return { n: images.length, height: 2, width: 2, channels: 1, pixels: Uint8Array.from(images.flat()), labels: Uint8Array.from(labels ?? images.map((_, i) => i % 7)) };
}
const images = (s: Split): number[][] => Array.from({ length: s.n }, (_, i) => Array.from(s.pixels.subarray(i * 4, i * 4 + 4)));

describe("cleaning", () => {
  it("isBlank uses max - min <= threshold", () => {
    expect(isBlank(Uint8Array.from([5, 5, 7, 6]), 0, 4, 2)).toBe(true);
    expect(isBlank(Uint8Array.from([5, 5, 8, 6]), 0, 4, 2)).toBe(false);
    expect(isBlank(Uint8Array.from([9, 0, 0, 0, 0, 9]), 1, 4, 0)).toBe(true);
  });

  it("dropBlank drops near-blank images and keeps labels aligned", () => {
    const s = split([[0, 0, 0, 0], [1, 50, 3, 4], [200, 201, 202, 200], [10, 20, 30, 40]], [1, 2, 3, 4]);
    const r = dropBlank(s, 2);
    expect(r.dropped).toBe(2);
    expect(images(r.split)).toEqual([[1, 50, 3, 4], [10, 20, 30, 40]]);
    expect(Array.from(r.split.labels)).toEqual([2, 4]);
  });

  it("dropDuplicates: keeps the first within a split, removes train copies of val/test images", () => {
    const A = [1, 2, 3, 4], B = [5, 6, 7, 8], C = [9, 9, 9, 1], D = [0, 1, 0, 1], E = [4, 3, 2, 1];
    const r = dropDuplicates({
      train: split([A, B, A, C, A, D], [0, 1, 2, 3, 4, 5]),
      val: split([C, E, E]),
      test: split([D, E]),
    });
    expect(r.withinSplit).toEqual({ train: 2, val: 1, test: 0 });
    expect(r.trainInValOrTest).toBe(2); // C (in val) and D (in test)
    expect(r.valTestShared).toBe(1); // E
    expect(images(r.splits.train)).toEqual([A, B]);
    expect(Array.from(r.splits.train.labels)).toEqual([0, 1]);
    expect(images(r.splits.val)).toEqual([C, E]);
    expect(images(r.splits.test)).toEqual([D, E]);
  });

  it("dropDuplicates handles odd image sizes (byte hashing path) and hash collisions by comparing bytes", () => {
    const mk = (imgs: number[][]): Split => ({ n: imgs.length, height: 1, width: 3, channels: 1, pixels: Uint8Array.from(imgs.flat()), labels: new Uint8Array(imgs.length) });
    const r = dropDuplicates({ train: mk([[1, 2, 3], [1, 2, 3], [3, 2, 1]]), val: mk([[3, 2, 1]]), test: mk([[7, 7, 7]]) });
    expect(r.withinSplit.train).toBe(1);
    expect(r.trainInValOrTest).toBe(1);
    expect(r.splits.train.n).toBe(1);
  });
});

describe("cleaning leaves the test split whole unless asked", () => {
  const A = [1, 2, 3, 4], B = [5, 6, 7, 8], D = [0, 1, 0, 1];
  const splits = () => ({ train: split([A, B, D]), val: split([B]), test: split([D, D, A]) });

  it("cleanTest false: test keeps its repeats (not counted as dropped); train copies of test images still leave train", () => {
    const r = dropDuplicates(splits(), { cleanTest: false });
    expect(images(r.splits.test)).toEqual([D, D, A]);
    expect(r.withinSplit.test).toBe(0);
    expect(images(r.splits.train)).toEqual([]);
    expect(r.trainInValOrTest).toBe(3);
  });

  it("cleanTest true (the function's default): the test split loses its repeats", () => {
    const r = dropDuplicates(splits());
    expect(images(r.splits.test)).toEqual([D, A]);
    expect(r.withinSplit.test).toBe(1);
  });
});

describe("loadDataset: clean { test keep|clean }", () => {
  const dir = tempDir("clean-test");
  // PrivateTest holds a blank image, a repeat and a copy of a Training image.
  const csv = join(dir, "d.csv");
  writeFileSync(csv, ["emotion,pixels,Usage", row(0, "1 2 3 4"), row(3, "10 20 30 40"), row(6, "0 0 0 255", "PublicTest"),
    row(5, "255 255 255 0", "PrivateTest"), row(5, "255 255 255 0", "PrivateTest"), row(1, "7 7 7 7", "PrivateTest"), row(2, "1 2 3 4", "PrivateTest")].join("\n") + "\n");
  const clean = (test: "keep" | "clean") => ({ dropBlank: true, blankThreshold: 2, dropDuplicates: true, test });

  it("keep: the test split is whole, the train copy of a test image still leaves train", async () => {
    const r = await loadDataset(csvDataset(csv, [2, 2, 1], { clean: clean("keep") }), { cacheDir: false });
    expect(r.report.after).toEqual({ train: 1, val: 1, test: 4 });
    expect(r.report.droppedBlank.test).toBe(0);
    expect(r.report.test).toBe("kept whole");
    expect(formatDataReport(r.report)).toContain("test kept whole");
  });

  it("clean: the drops apply to the test split too", async () => {
    const r = await loadDataset(csvDataset(csv, [2, 2, 1], { clean: clean("clean") }), { cacheDir: false });
    expect(r.report.after).toEqual({ train: 1, val: 1, test: 2 });
    expect(r.report.droppedBlank.test).toBe(1);
    expect(r.report.droppedDuplicates.withinSplit.test).toBe(1);
    expect(r.report.test).toBe("cleaned");
  });
});
