/** The spec as run and the overrides list (src/run/asRun.ts). */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import { NO_AUGMENT } from "../../src/sections/augment.js";
import { foldRun, overridesOf, overrideText, runOverrides, specAsRun } from "../../src/run/asRun.js";
import type { RunManifest } from "../../src/run/manifest.js";
import { readSpec } from "../check/helpers.js";

const spec = (name: string) => checkSource(readSpec(name)).spec!;

describe("foldRun", () => {
  it("augmentation off: none of the section, except a random-crop window, which still sets the model's input", () => {
    const small = spec("vgg-small");
    expect(foldRun(small, { augment: false }).augment).toEqual(NO_AUGMENT);
    expect(foldRun(small, { augment: true }).augment).toEqual(small.augment);
    const wide = spec("vgg-wide");
    expect(wide.augment.randomCrop).toEqual([44, 44]);
    expect(foldRun(wide, { augment: false }).augment).toEqual({ ...NO_AUGMENT, declared: true, randomCrop: [44, 44] });
  });

  it("--data: the path read, absolute, as a CSV or an image folder; synthetic as the data pipeline draws it", () => {
    const small = spec("vgg-small");
    expect(foldRun(small, { augment: false, data: "x/fer.csv.gz" }).dataset.source).toEqual({ kind: "csv", path: resolve("x/fer.csv.gz") });
    const dir = mkdtempSync(join(tmpdir(), "ferc-asrun-"));
    expect(foldRun(small, { augment: false, data: dir }).dataset.source).toEqual({ kind: "folder", path: dir });
    expect(foldRun(small, { augment: false, data: "synthetic" }).dataset.source).toEqual({ kind: "synthetic", count: 7000, seed: 1, noise: 0.05 });
    // A synthetic spec keeps its own parameters.
    const demo = spec("demo");
    expect(foldRun(demo, { augment: false, data: "synthetic" }).dataset.source).toEqual(demo.dataset.source);
    expect(foldRun(small, { augment: false }).dataset).toEqual(small.dataset);
  });
});

describe("runOverrides", () => {
  it("lists each flag with what the spec says, and a declared augment section either way", () => {
    const small = spec("vgg-small");
    const o = runOverrides(small, { epochs: 2, batch: 64, augment: false, data: "d.csv", limit: 200, timeLimit: "1h", backend: "cpu" });
    expect(o).toEqual([
      { flag: "epochs", value: 2, spec: 100 },
      { flag: "batch", value: 64, spec: 128 },
      { flag: "data", value: resolve("d.csv"), spec: '"data/fer2013.csv"' },
      { flag: "augment", value: false, spec: "declared" },
      { flag: "limit", value: 200 },
      { flag: "time-limit", value: "1h" },
      { flag: "backend", value: "cpu" },
    ]);
    expect(o.map(overrideText)).toEqual([
      "--epochs 2 (spec: 100)",
      "--batch 64 (spec: 128)",
      `--data ${resolve("d.csv")} (spec: "data/fer2013.csv")`,
      "augment off (the spec declares augment; --augment turns it on)",
      "--limit 200",
      "--time-limit 1h",
      "--backend cpu",
    ]);
    // No augment section, no flags: nothing differs from the spec file.
    expect(runOverrides(spec("demo"), { augment: false })).toEqual([]);
  });
});

describe("records written before the overrides were recorded", () => {
  const old = (flags: RunManifest["flags"], augment: boolean, dataSource?: RunManifest["dataSource"]) =>
    ({ flags, augment, ...(dataSource ? { dataSource } : {}) }) as unknown as RunManifest;

  it("overridesOf reads the recorded flags; specAsRun folds the data and augmentation in", () => {
    const m = old({ epochs: 3, data: "../shared/fer.csv.gz", augment: true }, true, { relative: "../../fer.csv.gz", absolute: "/data/fer.csv.gz" });
    expect(overridesOf(m)).toEqual([{ flag: "epochs", value: 3 }, { flag: "data", value: "../shared/fer.csv.gz" }, { flag: "augment", value: true }]);
    const ir = spec("vgg-small");
    const asRun = specAsRun(ir, m);
    expect(asRun.dataset.source).toEqual({ kind: "csv", path: "/data/fer.csv.gz" });
    expect(asRun.augment).toEqual(ir.augment);
    expect(specAsRun(ir, old({}, false)).augment).toEqual(NO_AUGMENT);
    // Folding is idempotent: a record that already holds the spec as run passes unchanged.
    expect(specAsRun(asRun, m)).toEqual(asRun);
  });
});
