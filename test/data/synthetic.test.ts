import { describe, expect, it } from "vitest";
import { formatDataReport, generateSynthetic, loadDataset } from "../../src/data/index.js";
import type { DatasetIR } from "../../src/ir.js";
import { FER_CLASSES, sameBytes } from "./helpers.js";

const opts = { count: 700, seed: 42, noise: 0.05, input: [48, 48, 1] as [number, number, number], numClasses: 7 };

function syntheticDataset(split: DatasetIR["split"], count = 1400): DatasetIR {
  return {
    name: "s", source: { kind: "synthetic", count, seed: 3, noise: 0.05 }, input: [48, 48, 1], classes: [...FER_CLASSES], split,
    clean: { dropBlank: true, blankThreshold: 2, dropDuplicates: true, test: "keep" },
  };
}

describe("synthetic source", () => {
  it("is deterministic in its seed", () => {
    const a = generateSynthetic(opts), b = generateSynthetic(opts), c = generateSynthetic({ ...opts, seed: 43 });
    expect(sameBytes(a.pixels, b.pixels)).toBe(true);
    expect(sameBytes(a.labels, b.labels)).toBe(true);
    expect(sameBytes(a.pixels, c.pixels)).toBe(false);
  });

  it("has balanced classes, each split 80/10/10 into the three pools", () => {
    const r = generateSynthetic(opts);
    const counts = Array.from({ length: 7 }, () => [0, 0, 0]);
    for (let i = 0; i < r.n; i++) counts[r.labels[i]!]![r.groups[i]!]!++;
    for (const c of counts) expect(c).toEqual([80, 10, 10]);
    expect(r.groupNames).toEqual(["Training", "PublicTest", "PrivateTest"]);
  });

  it("draws varied, non-blank faces", () => {
    const r = generateSynthetic(opts);
    let minRange = 255;
    for (let i = 0; i < r.n; i++) {
      let lo = 255, hi = 0;
      for (let j = i * 2304; j < (i + 1) * 2304; j++) { lo = Math.min(lo, r.pixels[j]!); hi = Math.max(hi, r.pixels[j]!); }
      minRange = Math.min(minRange, hi - lo);
    }
    expect(minRange).toBeGreaterThan(40);
  });

  it("is fast (>= 5,000 images/s expected; asserted loosely on a shared machine)", () => {
    const t = performance.now();
    generateSynthetic({ ...opts, count: 2000 });
    const rate = 2000 / ((performance.now() - t) / 1000);
    console.log(`synthetic: ${Math.round(rate)} images/s`);
    expect(rate).toBeGreaterThan(1500);
  });

  it("is class-separable: a nearest-centroid classifier on 12x12 thumbnails beats chance by far", () => {
    // A weak linear proxy for "learnable": far above 1/7 chance, yet well short of perfect.
    const r = generateSynthetic({ ...opts, count: 2100 });
    const thumb = (i: number): Float64Array => {
      const t = new Float64Array(144);
      for (let y = 0; y < 48; y++) for (let x = 0; x < 48; x++) t[(y >> 2) * 12 + (x >> 2)]! += r.pixels[i * 2304 + y * 48 + x]! / 16;
      let m = 0;
      for (const v of t) m += v / 144;
      let s = 0;
      for (const v of t) s += (v - m) ** 2;
      s = Math.sqrt(s / 144) || 1;
      return t.map((v) => (v - m) / s);
    };
    const centroids = Array.from({ length: 7 }, () => new Float64Array(144));
    const n = new Array(7).fill(0);
    for (let i = 0; i < r.n; i++) if (r.groups[i] === 0) { const t = thumb(i); t.forEach((v, j) => (centroids[r.labels[i]!]![j]! += v)); n[r.labels[i]!]++; }
    centroids.forEach((c, k) => c.forEach((v, j) => (c[j] = v / n[k])));
    let right = 0, total = 0;
    for (let i = 0; i < r.n; i++) {
      if (r.groups[i] === 0) continue;
      const t = thumb(i);
      let best = -1, bestD = Infinity;
      centroids.forEach((c, k) => { let d = 0; for (let j = 0; j < 144; j++) d += (t[j]! - c[j]!) ** 2; if (d < bestD) { bestD = d; best = k; } });
      if (best === r.labels[i]) right++;
      total++;
    }
    const acc = right / total;
    console.log(`synthetic nearest-centroid accuracy: ${(acc * 100).toFixed(1)}%`);
    expect(acc).toBeGreaterThan(0.2); // chance is 0.143; pose jitter defeats a linear template, a convnet reaches >90%
    expect(acc).toBeLessThan(0.98);
  });

  it("loads with usage rules, folder-style aliases and fraction rules", async () => {
    const usage = await loadDataset(syntheticDataset({ train: { kind: "usage", value: "Training" }, val: { kind: "usage", value: "PublicTest" }, test: { kind: "usage", value: "PrivateTest" } }));
    expect([usage.train.n, usage.val.n, usage.test.n]).toEqual([1120, 140, 140]);
    expect(usage.report.cache).toBe("off");
    const text = formatDataReport(usage.report);
    expect(text).toContain("synthetic count=1400 seed=3 noise=0.05 (cache off)");
    expect(text).toContain("images:      train 1,120, val 140, test 140");
    const folder = await loadDataset(syntheticDataset({ train: { kind: "folder", dir: "train" }, val: { kind: "fraction", of: "train", fraction: 0.1 }, test: { kind: "folder", dir: "test" } }));
    expect(folder.train.n + folder.val.n).toBe(1120);
    expect(folder.val.n).toBe(112);
    expect(sameBytes(folder.test.pixels, usage.test.pixels)).toBe(true);
    await expect(loadDataset(syntheticDataset({ train: { kind: "usage", value: "Train" }, val: { kind: "usage", value: "PublicTest" }, test: { kind: "usage", value: "PrivateTest" } }))).rejects.toThrow(/synthetic source has only Training, PublicTest, PrivateTest/);
  });
});
