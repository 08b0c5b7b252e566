/** `usage "…"` split rules on an image folder (`--data FOLDER` with a spec written for the CSV). */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { DataError, loadDataset } from "../../src/data/index.js";
import type { DatasetIR } from "../../src/ir.js";
import { FER_CLASSES, tempDir } from "./helpers.js";

const base = tempDir("usage-folders");
let counter = 0;

function png(v: number): Buffer {
  const img = new PNG({ width: 4, height: 4 });
  for (let i = 0; i < 16; i++) img.data.set([(v + i * 13) % 256, (v + i * 13) % 256, (v + i * 13) % 256, 255], i * 4);
  return PNG.sync.write(img);
}

/** ROOT with the given split directories, `per` distinct images per class in each. */
function makeRoot(dirs: string[], per = 2): string {
  const root = join(base, `root${counter++}`);
  let v = 0;
  for (const d of dirs)
    for (const c of FER_CLASSES) {
      mkdirSync(join(root, d, c), { recursive: true });
      for (let i = 0; i < per; i++) writeFileSync(join(root, d, c, `${i}.png`), png(v++ * 7));
    }
  return root;
}

/** A spec's dataset as written for the FER2013 CSV (the vgg-small split), or with `split` replaced. */
function csvSpec(split: Partial<DatasetIR["split"]> = {}): DatasetIR {
  return {
    name: "fer2013",
    source: { kind: "csv", path: "data/fer2013.csv" },
    input: [4, 4, 1],
    classes: [...FER_CLASSES],
    split: { train: { kind: "usage", value: "Training" }, val: { kind: "usage", value: "PublicTest" }, test: { kind: "usage", value: "PrivateTest" }, ...split },
    clean: { dropBlank: false, blankThreshold: 1, dropDuplicates: false, test: "keep" },
  };
}

const opts = (root: string) => ({ dataPath: root, cacheDir: false as const });

describe("usage split rules on an image folder", () => {
  it("map to the Kaggle layout's train/ and test/ (with a val fraction)", async () => {
    const root = makeRoot(["train", "test"], 4);
    const r = await loadDataset(csvSpec({ val: { kind: "fraction", of: "train", fraction: 0.25 } }), opts(root));
    expect([r.train.n + r.val.n, r.test.n]).toEqual([28, 28]);
    expect(r.val.n).toBe(7);
    expect(r.report.source).toContain('usage "Training" -> train/, usage "PrivateTest" -> test/');
  });

  it("map all three to val/ when present, and prefer the CSV's own names (any case)", async () => {
    const r = await loadDataset(csvSpec(), opts(makeRoot(["train", "val", "test"], 1)));
    expect([r.train.n, r.val.n, r.test.n]).toEqual([7, 7, 7]);
    const named = makeRoot(["training", "PublicTest", "PrivateTest", "test"], 1);
    const r2 = await loadDataset(csvSpec(), opts(named));
    expect(r2.report.source).toContain('usage "Training" -> training/, usage "PublicTest" -> PublicTest/, usage "PrivateTest" -> PrivateTest/');
  });

  it("say exactly what to write when a Usage value has no directory", async () => {
    const root = makeRoot(["train", "test"], 1);
    const e = await loadDataset(csvSpec(), opts(root)).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).file).toBe(root);
    expect((e as DataError).message).toBe(
      `${root}: split val = usage "PublicTest" needs a directory PublicTest/ or val/ or validation/ in the image folder, but it has test/, train/: ` +
        `write val = fraction 0.1 of train (or val = folder "DIR") in the spec's split { }, or add a val/ directory`,
    );
  });

  it("a spec whose own source is a folder gets the same mapping", async () => {
    const root = makeRoot(["train", "val", "test"], 1);
    const r = await loadDataset({ ...csvSpec(), source: { kind: "folder", path: root } }, { cacheDir: false });
    expect([r.train.n, r.val.n, r.test.n]).toEqual([7, 7, 7]);
  });
});
