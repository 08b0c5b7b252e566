/**
 * The fuzz targets beyond the .fer front end (issue 23): the YAML form, the CSV reader, the image
 * decoder and the run-record readers, each a short seeded campaign through its oracle (no internal
 * error, bounded time and memory; records: no error repeats a file's content, nothing is read
 * through a link). `npm run fuzz -- --target NAME --runs N` runs the long ones. Also the inputs
 * the YAML campaign found, kept as regressions.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkAny } from "../../src/check/any.js";
import type { TargetOptions, TargetReport } from "../../src/fuzz/bounds.js";
import { malformed } from "../../src/fuzz/oracle.js";
import { csvTarget } from "../../src/fuzz/targets/csv.js";
import { imageTarget } from "../../src/fuzz/targets/image.js";
import { recordTarget } from "../../src/fuzz/targets/record.js";
import { yamlTarget } from "../../src/fuzz/targets/yaml.js";

const texts = ["specs", "test/corpus/valid"]
  .filter((d) => existsSync(d))
  .flatMap((d) => readdirSync(d).filter((f) => f.endsWith(".fer")).map((f) => readFileSync(join(d, f), "utf8")));

const opts = (runs: number): TargetOptions => ({ runs, seed: 23, timeLimitMs: 10_000, memoryLimitMb: 2048 });

function expectClean(r: TargetReport, runs: number): void {
  expect(r.inputs).toBe(runs);
  expect(r.failures.map((f) => `[${f.property}] ${f.message.slice(0, 500)}\n  input: ${f.input.slice(0, 500)}`)).toEqual([]);
  // The campaign reached both outcomes: inputs accepted and inputs refused.
  const totals = Object.values(r.outcomes).reduce((a, o) => ({ accepted: a.accepted + o.accepted, refused: a.refused + o.refused }), { accepted: 0, refused: 0 });
  expect(totals.accepted).toBeGreaterThan(0);
  expect(totals.refused).toBeGreaterThan(0);
}

describe("fuzz targets, short seeded campaigns", () => {
  it("yaml: 150 inputs", async () => expectClean(await yamlTarget(texts, opts(150)), 150), 120_000);
  it("csv: 300 inputs", async () => expectClean(await csvTarget(opts(300)), 300), 120_000);
  it("image: 120 inputs", async () => expectClean(await imageTarget(opts(120)), 120), 120_000);
  it("record: 40 inputs", async () => expectClean(await recordTarget(opts(40)), 40), 120_000);
});

describe("what the YAML campaign found", () => {
  // The yaml package's LineCounter knows line starts only as far as its lexer got: past an error
  // the spans' line:col did not match their offsets, and errors at the end lay past the text.
  it.each([
    ["an unclosed flow map at the end", "spec: x\nmodel: {k0: {, k1: [, k2: {\n"],
    ["an unclosed flow list at the end", "spec: x\nmodel: [[[[dropout 0.1\n"],
    ["a stray alias inside a nested block list", "spec: x\nmodel:\n  - repeat 2:\n      - conv 3x3 8\n   *nope   - batchnorm\n      - activation relu\n      - conv 3x3 8\n  - dense 7 softmax\ntrain:\n  batch: 8\n"],
  ])("%s: every span inside the text, at its own line and column", (_what, text) => {
    const r = checkAny(text, "found.fer.yaml");
    expect(r.diagnostics.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) expect(malformed(text, d) ?? null, `${d.code} ${d.message}`).toBeNull();
  });
});
