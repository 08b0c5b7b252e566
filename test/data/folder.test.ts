import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { DataError, loadDataset, readImageFolder } from "../../src/data/index.js";
import type { DatasetIR } from "../../src/ir.js";
import { FER_CLASSES, tempDir } from "./helpers.js";

const base = tempDir("folder");
let counter = 0;

function png(w: number, h: number, rgb: (x: number, y: number) => [number, number, number]): Buffer {
  const img = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const [r, g, b] = rgb(x, y);
      const o = (y * w + x) * 4;
      img.data[o] = r; img.data[o + 1] = g; img.data[o + 2] = b; img.data[o + 3] = 255;
    }
  return PNG.sync.write(img);
}

function jpg(w: number, h: number, v: number): Buffer {
  const data = Buffer.alloc(w * h * 4, v);
  return jpeg.encode({ width: w, height: h, data }, 100).data;
}

/** A fresh ROOT with train/test class directories; `files` maps `split/class/name` to bytes. */
function makeRoot(files: Record<string, Buffer | string>): string {
  const root = join(base, `root${counter++}`);
  for (const [rel, bytes] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(join(p, ".."), { recursive: true });
    writeFileSync(p, bytes);
  }
  return root;
}

const grey = (v: number): [number, number, number] => [v, v, v];
const opts = { input: [4, 4, 1] as [number, number, number], classes: [...FER_CLASSES], dirs: ["train", "test"] };

function folderDataset(root: string): DatasetIR {
  return {
    name: "t",
    source: { kind: "folder", path: root },
    input: [4, 4, 1],
    classes: [...FER_CLASSES],
    split: { train: { kind: "folder", dir: "train" }, val: { kind: "fraction", of: "train", fraction: 0.25 }, test: { kind: "folder", dir: "test" } },
    clean: { dropBlank: false, blankThreshold: 2, dropDuplicates: false, test: "keep" },
  };
}

async function rejects(p: Promise<unknown>, path: string, re: RegExp): Promise<void> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(DataError);
  expect((e as DataError).path).toBe(path);
  expect((e as DataError).message).toContain(path);
  expect((e as DataError).message).toMatch(re);
}

describe("image-folder source", () => {
  it("reads grey PNG and JPEG images with labels from class directories (case-insensitive)", async () => {
    const root = makeRoot({
      "train/Happy/a.png": png(4, 4, (x) => grey(x * 10)),
      "train/sad/b.jpg": jpg(4, 4, 128),
      "test/neutral/c.png": png(4, 4, () => grey(7)),
    });
    const r = await readImageFolder(root, opts);
    expect(r.n).toBe(3);
    expect(Array.from(r.labels)).toEqual([3, 4, 6]);
    expect(Array.from(r.groups)).toEqual([0, 0, 1]);
    expect(Array.from(r.pixels.subarray(0, 4))).toEqual([0, 10, 20, 30]);
    for (const v of r.pixels.subarray(16, 32)) expect(Math.abs(v - 128)).toBeLessThanOrEqual(2);
    expect(r.conversions).toEqual({ colourToGrey: 0, greyToColour: 0, resized: 0 });
  });

  it("converts colour to grey (ITU-R 601) and resizes other sizes, counting both", async () => {
    const root = makeRoot({
      "train/happy/colour.png": png(4, 4, () => [200, 100, 50]),
      "train/happy/big.png": png(8, 8, () => grey(90)),
      "test/happy/both.png": png(2, 2, () => [0, 255, 0]),
    });
    const r = await readImageFolder(root, opts);
    expect(r.conversions).toEqual({ colourToGrey: 2, greyToColour: 0, resized: 2 });
    // Files are read in name order: big.png, colour.png, then test/both.png.
    expect(Array.from(r.pixels.subarray(0, 16))).toEqual(Array(16).fill(90));
    expect(r.pixels[16]).toBe(Math.round(0.299 * 200 + 0.587 * 100 + 0.114 * 50));
    expect(Array.from(r.pixels.subarray(32, 48))).toEqual(Array(16).fill(Math.round(0.587 * 255)));
  });

  it("rejects a non-image file, naming its path", async () => {
    const root = makeRoot({ "train/happy/a.png": png(4, 4, () => grey(1)), "train/happy/notes.txt": "hello", "test/sad/x.png": png(4, 4, () => grey(1)) });
    await rejects(readImageFolder(root, opts), join(root, "train/happy/notes.txt"), /not a JPEG or PNG image/);
  });

  it("rejects a corrupt (undecodable) image, naming its path", async () => {
    const good = png(4, 4, () => grey(1));
    const root = makeRoot({ "train/happy/bad.png": good.subarray(0, 40), "test/sad/x.png": good });
    await rejects(readImageFolder(root, opts), join(root, "train/happy/bad.png"), /cannot decode image/);
    const root2 = makeRoot({ "train/happy/bad.jpg": jpg(4, 4, 1).subarray(0, 30), "test/sad/x.png": good });
    await rejects(readImageFolder(root2, opts), join(root2, "train/happy/bad.jpg"), /cannot decode image/);
  });

  it.skipIf(process.getuid?.() === 0)("rejects an unreadable file, naming its path", async () => {
    const root = makeRoot({ "train/happy/locked.png": png(4, 4, () => grey(1)), "test/sad/x.png": png(4, 4, () => grey(1)) });
    chmodSync(join(root, "train/happy/locked.png"), 0);
    await rejects(readImageFolder(root, opts), join(root, "train/happy/locked.png"), /cannot read image/);
  });

  it("rejects an unknown class directory, a stray file and a missing split directory", async () => {
    const r1 = makeRoot({ "train/contempt/a.png": png(4, 4, () => grey(1)), "test/sad/x.png": png(4, 4, () => grey(1)) });
    await rejects(readImageFolder(r1, opts), join(r1, "train/contempt"), /unknown class directory "contempt"/);
    const r2 = makeRoot({ "train/readme.md": "x", "test/sad/x.png": png(4, 4, () => grey(1)) });
    await rejects(readImageFolder(r2, opts), join(r2, "train/readme.md"), /expected only class directories/);
    const r3 = makeRoot({ "train/sad/x.png": png(4, 4, () => grey(1)) });
    await rejects(readImageFolder(r3, opts), join(r3, "test"), /split directory "test" not found/);
  });

  it("loads through loadDataset with a val fraction and reports conversions", async () => {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 8; i++) files[`train/${FER_CLASSES[i % 7]}/${i}.png`] = png(6, 6, () => grey(i * 20));
    files["test/happy/t.png"] = png(4, 4, () => [10, 200, 30]);
    const root = makeRoot(files);
    const r = await loadDataset(folderDataset(root), { cacheDir: join(base, "cache") });
    expect(r.train.n + r.val.n).toBe(8);
    expect(r.test.n).toBe(1);
    expect(r.report.conversions).toEqual({ colourToGrey: 1, greyToColour: 0, resized: 8 });
    expect(r.report.cache).toBe("miss");
    const again = await loadDataset(folderDataset(root), { cacheDir: join(base, "cache") });
    expect(again.report.cache).toBe("hit");
    expect(again.report.conversions).toEqual(r.report.conversions);
    expect(again.train.pixels).toEqual(r.train.pixels);
    // --data DIR override
    const viaOverride = await loadDataset({ ...folderDataset("elsewhere"), source: { kind: "csv", path: "nope.csv" } }, { dataPath: root, cacheDir: false });
    expect(viaOverride.hash).toBe(r.hash);
  });
});
