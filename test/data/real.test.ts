/**
 * The real FER2013 CSV, when present (never committed; tests skip without it). Set FER2013_CSV to
 * point elsewhere. Uses a private cache directory so the first load is a cold parse.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDataset, parseFerCsv } from "../../src/data/index.js";
import { csvDataset, tempDir } from "./helpers.js";

const REAL = process.env.FER2013_CSV ?? "/work/shared/fer2013/fer2013.csv.gz";
const present = existsSync(REAL);

describe.skipIf(!present)("real FER2013", () => {
  const cacheDir = join(tempDir("real"), "cache");

  it("parses 28,709 / 3,589 / 3,589 rows", async () => {
    const t = performance.now();
    const r = await parseFerCsv(REAL, { input: [48, 48, 1], numClasses: 7 });
    console.log(`FER2013 cold parse: ${Math.round(performance.now() - t)} ms for ${r.n} rows`);
    const count = (g: string) => r.groups.filter((x) => x === r.groupNames.indexOf(g)).length;
    expect(r.n).toBe(35887);
    expect([count("Training"), count("PublicTest"), count("PrivateTest")]).toEqual([28709, 3589, 3589]);
  });

  it("cleans and caches: blank and duplicate counts, second load from cache", async () => {
    const ds = csvDataset(REAL, [48, 48, 1], { clean: { dropBlank: true, blankThreshold: 2, dropDuplicates: true, test: "clean" } });
    let t = performance.now();
    const cold = await loadDataset(ds, { cacheDir });
    const coldMs = performance.now() - t;
    t = performance.now();
    const warm = await loadDataset(ds, { cacheDir });
    const warmMs = performance.now() - t;
    console.log(`FER2013 loadDataset cold ${Math.round(coldMs)} ms, cached ${Math.round(warmMs)} ms`);
    console.log(`FER2013 report: ${JSON.stringify(cold.report, null, 1)}`);
    expect(cold.report.cache).toBe("miss");
    expect(warm.report.cache).toBe("hit");
    expect(cold.report.before).toEqual({ train: 28709, val: 3589, test: 3589 });
    const r = cold.report;
    const blank = r.droppedBlank.train + r.droppedBlank.val + r.droppedBlank.test;
    const dup = r.droppedDuplicates.withinSplit.train + r.droppedDuplicates.withinSplit.val + r.droppedDuplicates.withinSplit.test + r.droppedDuplicates.trainInValOrTest;
    // 12 near-blank images (max - min <= 2); what the dedupe removes plus the val/test pairs it keeps
    // and the blanks (duplicates of each other, removed first) account for the 1,853 duplicate rows.
    expect(blank).toBe(12);
    expect(r.droppedBlank).toEqual({ train: 11, val: 1, test: 0 });
    expect(r.droppedDuplicates.withinSplit).toEqual({ train: 1226, val: 26, test: 17 });
    expect(r.droppedDuplicates.trainInValOrTest).toBe(530);
    expect(r.droppedDuplicates.valTestShared).toBe(43);
    expect(dup).toBe(1799);
    expect(cold.report.after).toEqual({ train: 26942, val: 3562, test: 3572 });
    // Buffer.equals: vitest's deep equality walks 62 MB element by element and takes minutes.
    for (const k of ["train", "val", "test"] as const) expect(Buffer.from(warm[k].pixels).equals(Buffer.from(cold[k].pixels))).toBe(true);
    expect(warm.hash).toBe(cold.hash);
  });

  it("by default (clean { test keep }) the test split stays whole: 3,589 PrivateTest images; train and val as cleaned", async () => {
    const ds = csvDataset(REAL, [48, 48, 1], { clean: { dropBlank: true, blankThreshold: 2, dropDuplicates: true, test: "keep" } });
    const r = await loadDataset(ds, { cacheDir });
    expect(r.report.after).toEqual({ train: 26942, val: 3562, test: 3589 });
    expect(r.report.droppedDuplicates.withinSplit.test).toBe(0);
    expect(r.report.test).toBe("kept whole");
  });
});
