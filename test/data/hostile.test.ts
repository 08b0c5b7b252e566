/**
 * Hostile data (issue 23, items 4 and 5): decompression bombs are refused at the size their
 * headers allow or at the memory cap, and special files (FIFOs, devices, links) are refused by
 * kind before anything blocks on them. Every input is generated here.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync, gzipSync } from "node:zlib";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { DataError, loadDataset, parseFerCsv, readImageFolder } from "../../src/data/index.js";
import { contentHash } from "../../src/data/hash.js";
import { decodeImage, interlacedDataBytes } from "../../src/data/image.js";
import { DEFAULT_MAX_DATA_MB, maxSourceBytes } from "../../src/data/limits.js";
import { readRegularFile } from "../../src/data/regularFile.js";
import { csvDataset, FER_CLASSES, row, tempDir } from "./helpers.js";

const base = tempDir("hostile");
let n = 0;
const fresh = (): string => {
  const d = join(base, `d${n++}`);
  mkdirSync(d, { recursive: true });
  return d;
};

/** A PNG file around `idat` (already-deflated image data), grey 8-bit, w x h. */
function pngWith(w: number, h: number, interlace: 0 | 1, idat: Buffer): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, i) => {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer): number => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const td = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grey
  ihdr[12] = interlace;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", idat), chunk("IEND", Buffer.alloc(0))]);
}

/** Adam7 image data of a grey w x h image whose pixel (x, y) is `v(x, y)`: each pass, each row a filter byte 0. */
function adam7(w: number, h: number, v: (x: number, y: number) => number): Buffer {
  const passes = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];
  const out: number[] = [];
  for (const [x0, y0, dx, dy] of passes) {
    if (w <= x0! || h <= y0!) continue;
    for (let y = y0!; y < h; y += dy!) {
      out.push(0);
      for (let x = x0!; x < w; x += dx!) out.push(v(x, y));
    }
  }
  return Buffer.from(out);
}

describe("an interlaced PNG bomb is refused at the size its header allows", () => {
  it("a 16x16 image whose data inflate to 64 MiB: refused quickly, without inflating it all", () => {
    const bomb = pngWith(16, 16, 1, deflateSync(Buffer.alloc(64 * 1024 * 1024)));
    expect(bomb.length).toBeLessThan(200_000);
    const before = process.memoryUsage().arrayBuffers;
    const t0 = performance.now();
    expect(() => decodeImage(bomb)).toThrow(/PNG image data inflate to more than the 286 bytes its 16x16 header allows/);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
  });

  it("a genuine interlaced image decodes to its pixels (the cap is exactly what Adam7 needs)", () => {
    const v = (x: number, y: number): number => (x * 37 + y * 11) % 256;
    for (const [w, h] of [[5, 3], [1, 1], [9, 17], [16, 16]] as const) {
      const data = adam7(w, h, v);
      expect(interlacedDataBytes(w, h, 8, 0)).toBe(data.length);
      const img = decodeImage(pngWith(w, h, 1, deflateSync(data)));
      expect([img.width, img.height]).toEqual([w, h]);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) expect(img.data[(y * w + x) * 4]).toBe(v(x, y));
    }
  });

  it("in an image folder, the bomb is named by its path", async () => {
    const root = fresh();
    mkdirSync(join(root, "train", "happy"), { recursive: true });
    mkdirSync(join(root, "test", "happy"), { recursive: true });
    const face = new PNG({ width: 4, height: 4 });
    face.data.fill(200);
    writeFileSync(join(root, "train", "happy", "a.png"), PNG.sync.write(face));
    writeFileSync(join(root, "test", "happy", "b.png"), PNG.sync.write(face));
    const bomb = join(root, "train", "happy", "bomb.png");
    writeFileSync(bomb, pngWith(16, 16, 1, deflateSync(Buffer.alloc(16 * 1024 * 1024))));
    const e = await readImageFolder(root, { input: [4, 4, 1], classes: [...FER_CLASSES], dirs: ["train", "test"] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).message).toBe(`${bomb}: cannot decode image: PNG image data inflate to more than the 286 bytes its 16x16 header allows`);
  });
});

describe("a source is capped in memory: a gzip of valid rows stops at the cap", () => {
  const pixels = (v: number): string => Array.from({ length: 4 }, () => String(v)).join(" ");

  it("stops at the row that would pass the cap, naming it and how to raise the cap", async () => {
    const file = join(fresh(), "many.csv.gz");
    const rows = Array.from({ length: 2000 }, (_, i) => row(i % 7, pixels(i % 256), i < 1990 ? "Training" : "PublicTest"));
    writeFileSync(file, gzipSync(`emotion,pixels,Usage\n${rows.join("\n")}\n`));
    // A cap of 100 images of 2x2x1.
    const e = await parseFerCsv(file, { input: [2, 2, 1], numClasses: 7, maxPixelBytes: 400 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).row).toBe(102);
    expect((e as DataError).detail).toMatch(/^more than 100 images .*: ferc holds a data set in memory and stops at 0 MiB; set FERC_MAX_DATA_MB to allow more$/);
    const ok = await parseFerCsv(file, { input: [2, 2, 1], numClasses: 7, maxPixelBytes: 8000 });
    expect(ok.n).toBe(2000);
  });

  it("the cap is 256 MiB unless FERC_MAX_DATA_MB says otherwise", () => {
    expect(DEFAULT_MAX_DATA_MB).toBe(256);
    expect(maxSourceBytes({})).toBe(256 * 1024 * 1024);
    expect(maxSourceBytes({ FERC_MAX_DATA_MB: "1024" })).toBe(1024 * 1024 * 1024);
    expect(maxSourceBytes({ FERC_MAX_DATA_MB: "nonsense" })).toBe(256 * 1024 * 1024);
  });

  it("an image folder over the cap is refused before any image is decoded", async () => {
    const root = fresh();
    mkdirSync(join(root, "train", "happy"), { recursive: true });
    mkdirSync(join(root, "test", "happy"), { recursive: true });
    // Not images at all: the count alone refuses the folder, so nothing is read.
    for (let i = 0; i < 30; i++) writeFileSync(join(root, "train", "happy", `${i}.png`), "x");
    writeFileSync(join(root, "test", "happy", "t.png"), "x");
    const prev = process.env["FERC_MAX_DATA_MB"];
    process.env["FERC_MAX_DATA_MB"] = String((20 * 4096) / (1024 * 1024)); // 20 images of 64x64x1
    try {
      const e = await readImageFolder(root, { input: [64, 64, 1], classes: [...FER_CLASSES], dirs: ["train", "test"] }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DataError);
      expect((e as DataError).message).toMatch(/more than 20 images/);
    } finally {
      if (prev === undefined) delete process.env["FERC_MAX_DATA_MB"];
      else process.env["FERC_MAX_DATA_MB"] = prev;
    }
  });
});

describe("special files are refused by kind, never opened to block", () => {
  const mkfifo = (p: string): string => {
    execFileSync("mkfifo", [p]);
    return p;
  };

  it("--data naming a FIFO or /dev/zero", async () => {
    const fifo = mkfifo(join(fresh(), "data.fifo"));
    await expect(loadDataset(csvDataset("unused.csv"), { dataPath: fifo, cacheDir: false })).rejects.toThrow(/cannot read --data path: it is a FIFO \(named pipe\), not a CSV file or an image folder/);
    await expect(loadDataset(csvDataset("unused.csv"), { dataPath: "/dev/zero", cacheDir: false })).rejects.toThrow(/it is a character device, not a CSV file or an image folder/);
  }, 10_000);

  it("a spec source that is a FIFO", async () => {
    const fifo = mkfifo(join(fresh(), "fer.csv"));
    await expect(loadDataset(csvDataset(fifo), { cacheDir: false })).rejects.toThrow(/is a FIFO \(named pipe\), not a CSV file or an image folder/);
    await expect(parseFerCsv(fifo, { input: [2, 2, 1], numClasses: 7 })).rejects.toThrow(/not a regular file/);
  }, 10_000);

  it("a FIFO, a link to /dev/zero or a socket-like entry inside an image folder: named, before hashing blocks on it", async () => {
    for (const plant of [(p: string) => mkfifo(p), (p: string) => symlinkSync("/dev/zero", p)]) {
      const root = fresh();
      mkdirSync(join(root, "train", "happy"), { recursive: true });
      mkdirSync(join(root, "test", "happy"), { recursive: true });
      writeFileSync(join(root, "test", "happy", "t.png"), "x");
      const bad = join(root, "train", "happy", "b.png");
      plant(bad);
      await expect(contentHash(root, undefined, ["train", "test"])).rejects.toThrow(new RegExp(`${bad} is a (FIFO \\(named pipe\\)|symbolic link), not a regular file or a directory`));
      await expect(readImageFolder(root, { input: [4, 4, 1], classes: [...FER_CLASSES], dirs: ["train", "test"] })).rejects.toThrow(/expected an image file, found a (FIFO|symbolic link)/);
    }
  }, 10_000);

  it("an image read for predict: a FIFO, a device, a file over the size cap", async () => {
    const fifo = mkfifo(join(fresh(), "face.png"));
    await expect(readRegularFile(fifo, 1000)).rejects.toThrow(/it is a FIFO \(named pipe\), not a regular file/);
    await expect(readRegularFile("/dev/zero", 1000)).rejects.toThrow(/it is a character device/);
    const big = join(fresh(), "big.png");
    writeFileSync(big, Buffer.alloc(2000));
    await expect(readRegularFile(big, 1000)).rejects.toThrow(/2,000 bytes, more than the 1,000 ferc reads/);
    expect((await readRegularFile(big, 2000)).length).toBe(2000);
  }, 10_000);
});
