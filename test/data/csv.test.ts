import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataError, loadDataset, parseFerCsv, resolveSource } from "../../src/data/index.js";
import { csvDataset, row, smallCsv, tempDir } from "./helpers.js";

const dir = tempDir("csv");
let counter = 0;
function write(content: string | Buffer, name = `f${counter++}.csv`): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}
const parse = (p: string, input: [number, number, number] = [2, 2, 1]) => parseFerCsv(p, { input, numClasses: 7 });

/** Assert a DataError naming the file (and row when given) with a message matching `re`. */
async function expectDataError(p: Promise<unknown>, file: string, rowNo: number | undefined, re: RegExp): Promise<DataError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DataError);
  const e = err as DataError;
  expect(e.file).toBe(file);
  expect(e.row).toBe(rowNo);
  expect(e.message.startsWith(rowNo === undefined ? `${file}: ` : `${file}:${rowNo}: `)).toBe(true);
  expect(e.message).toMatch(re);
  return e;
}

describe("CSV source: accepted forms", () => {
  it("parses a plain CSV into images, labels and Usage groups", async () => {
    const r = await parse(write(smallCsv()));
    expect(r.n).toBe(4);
    expect(Array.from(r.pixels)).toEqual([1, 2, 3, 4, 10, 20, 30, 40, 0, 0, 0, 255, 255, 255, 255, 0]);
    expect(Array.from(r.labels)).toEqual([0, 3, 6, 5]);
    expect(r.groupNames).toEqual(["Training", "PublicTest", "PrivateTest"]);
    expect(r.groupFirstRow).toEqual([2, 4, 5]);
    expect(Array.from(r.groups)).toEqual([0, 0, 1, 2]);
  });

  it("accepts CRLF, a UTF-8 BOM, quoted pixels and a missing final newline", async () => {
    const want = await parse(write(smallCsv()));
    const crlf = await parse(write(smallCsv("\r\n")));
    const bom = await parse(write("\ufeff" + smallCsv()));
    const quoted = await parse(write(smallCsv().replace(/,([0-9 ]+),/g, ',"$1",').replace(/,(\d),/g, ',"$1",')));
    const noFinalNewline = await parse(write(smallCsv().trimEnd()));
    for (const r of [crlf, bom, quoted, noFinalNewline]) {
      expect(Array.from(r.pixels)).toEqual(Array.from(want.pixels));
      expect(Array.from(r.labels)).toEqual(Array.from(want.labels));
      expect(r.groupNames).toEqual(want.groupNames);
    }
  });

  it("accepts columns in any order, quoted header names and extra columns", async () => {
    const r = await parse(write('"Usage",extra,pixels,emotion\nTraining,x,1 2 3 4,2\nPublicTest,"y, z",5 6 7 8,1\n'));
    expect(Array.from(r.labels)).toEqual([2, 1]);
    expect(Array.from(r.pixels)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("detects gzip by content, not by extension", async () => {
    const gzAsCsv = write(gzipSync(smallCsv()), "really-gzip.csv");
    const plainAsGz = write(smallCsv(), "really-plain.csv.gz");
    expect((await parse(gzAsCsv)).n).toBe(4);
    expect((await parse(plainAsGz)).n).toBe(4);
  });

  it("round-trips random 48x48 rows across stream chunk boundaries (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 2304, maxLength: 2304 }), { minLength: 1, maxLength: 300 }), fc.boolean(), async (imgs, gz) => {
        const text = "emotion,pixels,Usage\n" + imgs.map((img, i) => `${i % 7},${Array.from(img).join(" ")},Training`).join("\n") + "\n";
        const p = write(gz ? gzipSync(text) : text);
        const r = await parse(p, [48, 48, 1]);
        expect(r.n).toBe(imgs.length);
        imgs.forEach((img, i) => expect(r.pixels.subarray(i * 2304, (i + 1) * 2304)).toEqual(img));
      }),
      { numRuns: 6 },
    );
  });
});

describe("CSV source: every problem names the file and row", () => {
  it("empty file", async () => {
    const p = write("");
    await expectDataError(parse(p), p, 1, /file is empty/);
  });

  it("header only (with and without newline)", async () => {
    const a = write("emotion,pixels,Usage\n");
    const b = write("emotion,pixels,Usage");
    await expectDataError(parse(a), a, 1, /header but no rows/);
    await expectDataError(parse(b), b, 1, /header but no rows/);
  });

  it("missing column in the header names the column", async () => {
    const p = write("emotion,Usage\n0,Training\n");
    await expectDataError(parse(p), p, 1, /no "pixels" column/);
    const q = write("emotion,pixels\n0,1 2 3 4\n");
    await expectDataError(parse(q), q, 1, /no "Usage" column/);
  });

  it("too few and too many pixel values", async () => {
    const few = write(`emotion,pixels,Usage\n${row(0, "1 2 3 4")}\n${row(1, "1 2 3")}\n`);
    await expectDataError(parse(few), few, 3, /expected 4 pixel values, found 3/);
    const many = write(`emotion,pixels,Usage\n${row(0, "1 2 3 4 5")}\n`);
    await expectDataError(parse(many), many, 2, /expected 4 pixel values, found 5/);
    const real = write(`emotion,pixels,Usage\n0,${Array(2303).fill(7).join(" ")},Training\n`);
    await expectDataError(parse(real, [48, 48, 1]), real, 2, /expected 2304 pixel values, found 2303/);
  });

  it("negative, >255, NaN, decimal and non-numeric pixel values", async () => {
    const cases: [string, RegExp][] = [
      ["1 -2 3 4", /pixel 2: a negative value/],
      ["1 2 256 4", /pixel 3: value 256 is out of range 0..255/],
      ["1 2 3 99999999999", /pixel 4: value 9999\d* is out of range/],
      ["NaN 2 3 4", /pixel 1: invalid character 'N'/],
      ["1 2.5 3 4", /pixel 2: a non-integer value/],
      ["1 2 x 4", /pixel 3: invalid character 'x'/],
      ['"1 2 3 4"5', /after a closing quote/],
    ];
    for (const [pixels, re] of cases) {
      const p = write(`emotion,pixels,Usage\n${row(0, "0 0 0 0")}\n${row(0, pixels)}\n`);
      await expectDataError(parse(p), p, 3, re);
    }
  });

  it("labels out of range, negative, non-numeric or empty", async () => {
    const cases: [string, RegExp][] = [
      ["7", /label 7 out of range 0..6/],
      ["-1", /label is not a non-negative integer/],
      ["happy", /label is not a non-negative integer/],
      ["", /label \(emotion\) is empty/],
    ];
    for (const [label, re] of cases) {
      const p = write(`emotion,pixels,Usage\n${row(label, "0 0 0 0")}\n`);
      await expectDataError(parse(p), p, 2, re);
    }
  });

  it("wrong field counts, blank lines between rows, line breaks in quotes", async () => {
    const few = write(`emotion,pixels,Usage\n0,1 2 3 4\n${row(0, "1 2 3 4")}\n`);
    await expectDataError(parse(few), few, 2, /expected 3 fields, found 2/);
    const many = write(`emotion,pixels,Usage\n${row(0, "1 2 3 4")},extra\n`);
    await expectDataError(parse(many), many, 2, /expected 3 fields, found more/);
    const blank = write(`emotion,pixels,Usage\n${row(0, "1 2 3 4")}\n\n${row(0, "1 2 3 4")}\n`);
    await expectDataError(parse(blank), blank, 3, /blank line between rows/);
    const trailingBlank = write(`emotion,pixels,Usage\n${row(0, "1 2 3 4")}\n\n\r\n`);
    expect((await parse(trailingBlank)).n).toBe(1);
    const brokenQuote = write(`emotion,pixels,Usage\n0,"1 2\n3 4",Training\n`);
    await expectDataError(parse(brokenQuote), brokenQuote, 2, /line break inside a quoted field/);
  });

  it("file ending mid-row", async () => {
    const p = write(`emotion,pixels,Usage\n${row(0, "1 2 3 4")}\n0,1 2`);
    await expectDataError(parse(p), p, 3, /file ends mid-row .*expected 3 fields, found 2/);
    const q = write(`emotion,pixels,Usage\n${row(0, "1 2 3 4")}\nTraining,0,"1 2`.replace("Training,0,", "0,"));
    await expectDataError(parse(q), q, 3, /file ends inside a quoted field/);
  });

  it("truncated gzip", async () => {
    const full = gzipSync(Buffer.from(smallCsv().repeat(1)));
    const p = write(full.subarray(0, full.length - 12), "trunc.csv.gz");
    await expectDataError(parse(p), p, undefined, /gzip data is truncated or corrupt/);
  });

  it("a gzip trailer claiming 2 GB allocates nothing of that size", async () => {
    const gz = Buffer.from(gzipSync(smallCsv()));
    gz.writeUInt32LE(0x7fffffff, gz.length - 4); // ISIZE field
    const p = write(gz, "liar.csv.gz");
    const before = process.memoryUsage().arrayBuffers;
    await expectDataError(parse(p), p, undefined, /gzip data is truncated or corrupt/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(256 * 1024 * 1024);
  });

  it("unreadable path", async () => {
    const p = join(dir, "does-not-exist.csv");
    await expectDataError(parse(p), p, undefined, /cannot read file/);
  });
});

describe("CSV source through loadDataset: split rules", () => {
  it("an unknown Usage value names the first row using it", async () => {
    const p = write(`emotion,pixels,Usage\n${row(0, "1 2 3 4")}\n${row(1, "1 2 3 5", "PublicTest")}\n${row(1, "1 2 3 6", "PrivateTest")}\n${row(2, "1 2 3 4", "Validation")}\n`);
    await expectDataError(loadDataset(csvDataset(p), { cacheDir: false }), p, 5, /Usage value "Validation" is not selected by any split rule/);
  });

  it("an empty split names the file and the rule", async () => {
    const p = write(`emotion,pixels,Usage\n${row(0, "1 2 3 4")}\n${row(1, "1 2 3 5", "PublicTest")}\n`);
    await expectDataError(loadDataset(csvDataset(p), { cacheDir: false }), p, undefined, /split test is empty: no rows with Usage = "PrivateTest"/);
  });

  it("labels beyond the spec's classes", async () => {
    const p = write(smallCsv());
    const ds = { ...csvDataset(p), classes: ["a", "b", "c"] };
    await expectDataError(loadDataset(ds, { cacheDir: false }), p, 3, /label 3 out of range 0..2/);
  });

  it("resolves relative paths against baseDir and carves fraction splits", async () => {
    const lines = ["emotion,pixels,Usage"];
    for (let i = 0; i < 100; i++) lines.push(row(i % 7, `${i} 1 2 3`, i < 90 ? "Training" : "PrivateTest"));
    write(lines.join("\n") + "\n", "frac.csv");
    const ds = csvDataset("frac.csv", [2, 2, 1], {
      split: { train: { kind: "usage", value: "Training" }, val: { kind: "fraction", of: "train", fraction: 0.2 }, test: { kind: "usage", value: "PrivateTest" } },
    });
    const r = await loadDataset(ds, { cacheDir: false, baseDir: dir });
    expect(r.test.n).toBe(10);
    expect(r.val.n + r.train.n).toBe(90);
    expect(r.val.n).toBeGreaterThanOrEqual(16);
    expect(r.val.n).toBeLessThanOrEqual(20);
    const again = await loadDataset(ds, { cacheDir: false, baseDir: dir });
    expect(again.val.pixels).toEqual(r.val.pixels);
  });
});

describe("--data override", () => {
  it("a file path means CSV (gzip or not), a directory means folder, `synthetic` means synthetic", async () => {
    const p = write(smallCsv());
    const ds = csvDataset("spec-path-ignored.csv");
    expect(await resolveSource(ds, { dataPath: p })).toEqual({ kind: "csv", path: p });
    expect(await resolveSource(ds, { dataPath: dir })).toEqual({ kind: "folder", path: dir });
    expect((await resolveSource(ds, { dataPath: "synthetic" })).kind).toBe("synthetic");
    expect(await resolveSource(ds, { baseDir: "/specs" })).toEqual({ kind: "csv", path: "/specs/spec-path-ignored.csv" });
    const phases = new Set<string>();
    const r = await loadDataset(ds, { dataPath: p, cacheDir: false, onProgress: (e) => phases.add(e.phase) });
    expect(r.train.n).toBe(2);
    expect([...phases]).toEqual(expect.arrayContaining(["hash", "parse", "split", "done"]));
    await expect(loadDataset(ds, { dataPath: join(dir, "missing.csv") })).rejects.toThrow(/cannot read --data path/);
  });
});
