import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultCacheDir, loadDataset } from "../../src/data/index.js";
import { csvDataset, row, tempDir } from "./helpers.js";

const dir = tempDir("cache");

function writeCsv(name: string, n: number, salt = 0): string {
  const lines = ["emotion,pixels,Usage"];
  const usages = ["Training", "PublicTest", "PrivateTest"];
  for (let i = 0; i < n; i++) lines.push(row(i % 7, `${i % 256} ${(i * 7 + salt) % 256} ${i >> 8} 9`, usages[i % 3]));
  const p = join(dir, name);
  writeFileSync(p, lines.join("\n") + "\n");
  return p;
}

const entries = (cacheDir: string): string[] => readdirSync(cacheDir).filter((f) => f.endsWith(".fercdata"));

describe("binary cache", () => {
  it("misses, then hits with identical data", async () => {
    const cacheDir = join(dir, "c1");
    const p = writeCsv("a.csv", 300);
    const first = await loadDataset(csvDataset(p), { cacheDir });
    const second = await loadDataset(csvDataset(p), { cacheDir });
    expect(first.report.cache).toBe("miss");
    expect(second.report.cache).toBe("hit");
    expect(second.hash).toBe(first.hash);
    for (const s of ["train", "val", "test"] as const) {
      expect(second[s].pixels).toEqual(first[s].pixels);
      expect(second[s].labels).toEqual(first[s].labels);
    }
    expect(entries(cacheDir)).toHaveLength(1);
  });

  it("detects a corrupt or truncated entry and rebuilds it", async () => {
    const cacheDir = join(dir, "c2");
    const p = writeCsv("b.csv", 300);
    const good = await loadDataset(csvDataset(p), { cacheDir });
    const file = join(cacheDir, entries(cacheDir)[0]!);
    const bytes = readFileSync(file);
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(file, flipped);
    const afterFlip = await loadDataset(csvDataset(p), { cacheDir });
    expect(afterFlip.report.cache).toBe("miss");
    expect(afterFlip.train.pixels).toEqual(good.train.pixels);
    expect(readFileSync(file)).toEqual(bytes); // rebuilt
    writeFileSync(file, bytes.subarray(0, bytes.length - 100));
    expect((await loadDataset(csvDataset(p), { cacheDir })).report.cache).toBe("miss");
    writeFileSync(file, "garbage");
    expect((await loadDataset(csvDataset(p), { cacheDir })).report.cache).toBe("miss");
    expect((await loadDataset(csvDataset(p), { cacheDir })).report.cache).toBe("hit");
  });

  it("is keyed by content and input shape", async () => {
    const cacheDir = join(dir, "c3");
    const p = writeCsv("c.csv", 60);
    const a = await loadDataset(csvDataset(p), { cacheDir });
    writeCsv("c.csv", 61, 1); // new content at the same path
    const b = await loadDataset(csvDataset(p), { cacheDir });
    expect(b.report.cache).toBe("miss");
    expect(b.hash).not.toBe(a.hash);
    const copy = join(dir, "c-copy.csv");
    writeFileSync(copy, readFileSync(p));
    const c = await loadDataset(csvDataset(copy), { cacheDir });
    expect(c.report.cache).toBe("hit"); // same bytes elsewhere: same key
    const other = await loadDataset(csvDataset(p, [1, 4, 1]), { cacheDir });
    expect(other.report.cache).toBe("miss");
  });

  it("defaults to $FERC_CACHE_DIR, and cacheDir: false turns it off", async () => {
    const prev = process.env.FERC_CACHE_DIR;
    process.env.FERC_CACHE_DIR = join(dir, "from-env");
    try {
      expect(defaultCacheDir()).toBe(join(dir, "from-env"));
      const p = writeCsv("d.csv", 30);
      await loadDataset(csvDataset(p));
      expect(entries(join(dir, "from-env"))).toHaveLength(1);
      expect((await loadDataset(csvDataset(p), { cacheDir: false })).report.cache).toBe("off");
    } finally {
      if (prev === undefined) delete process.env.FERC_CACHE_DIR;
      else process.env.FERC_CACHE_DIR = prev;
    }
  });
});
