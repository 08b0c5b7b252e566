/** The checker never throws, whatever the input; and it stays free of tfjs. */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkSource, type CheckResult } from "../../src/check/index.js";
import { readSpec } from "./helpers.js";

const WORDS = ["spec", "dataset", "model", "train", "expect", "augment", "preprocess", "conv", "dense", "repeat", "residual", "project", "with", "as",
  "maxpool", "flatten", "batchnorm", "dropout", "relu", "softmax", "same", "stride", "=", "{", "}", "[", "]", ",", ";", "\n", "3x3", "7", "0", "-1",
  "1e9", "0.5", "40deg", "x", "filters", '"s"', "shape", "params", "total", "optimizer", "sgd", "early-stop", "val.loss", "block1.conv1"];

/** Line and column (1-based) of an offset, counting "\n" only, as the lexer does. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

/**
 * What any result must satisfy: `ok` exactly when no diagnostic is an error, a spec exactly when
 * ok, every diagnostic a code, a message and a span inside the text whose line:col agree with
 * its offset, sorted by position and none repeated.
 */
function assertConsistent(text: string, r: CheckResult): void {
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  expect(r.ok).toBe(errors.length === 0);
  expect(r.spec !== undefined).toBe(r.ok);
  const seen = new Set<string>();
  let last = -1;
  for (const d of r.diagnostics) {
    expect(d.code).toMatch(/^F\d{4}$/);
    expect(d.message.trim()).not.toBe("");
    expect(d.span.offset).toBeGreaterThanOrEqual(last);
    last = d.span.offset;
    expect(d.span.offset + d.span.length).toBeLessThanOrEqual(text.length);
    expect(`${d.span.line}:${d.span.column}`).toBe(position(text, d.span.offset));
    const key = `${d.code} ${d.span.offset} ${d.span.length} ${d.message}`;
    expect(seen.has(key), key).toBe(false);
    seen.add(key);
  }
}

describe("robustness", () => {
  it("never throws on token soup", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { maxLength: 60 }), (toks) => {
        const text = toks.join(" ");
        const r = checkSource(text);
        expect(r.diagnostics.every((d) => d.code !== "F0903")).toBe(true);
        assertConsistent(text, r);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on mutated reference specs", () => {
    const text = readSpec("vgg-small") + readSpec("resnet-small");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length }), fc.integer({ min: 0, max: 20 }), fc.string({ maxLength: 8 }), (at, del, ins) => {
        const mutated = text.slice(0, at) + ins + text.slice(at + del);
        const r = checkSource(mutated);
        expect(r.diagnostics.every((d) => d.code !== "F0903")).toBe(true);
        assertConsistent(mutated, r);
      }),
      { numRuns: 300 },
    );
  });

  it("survives huge repeats and nesting without blowing up", () => {
    const r = checkSource("spec a\ndataset d {}\nmodel { repeat 5000 { repeat 5000 { dropout 0.1 } } flatten; dense 7 softmax }\ntrain {}");
    expect(r.diagnostics.map((d) => d.code)).toContain("F0601");
  });

  it("src/check and src/layers never import tfjs at runtime (ferc check must start fast)", () => {
    for (const dir of ["src/check", "src/layers"]) {
      for (const f of readdirSync(dir)) {
        const text = readFileSync(`${dir}/${f}`, "utf8");
        const runtime = text.split("\n").filter((l) => /from\s+"@tensorflow|import\(\s*"@tensorflow|require\(/.test(l) && !/^\s*import type|import\("@tensorflow[^"]*"\)\.\w+;?$|type \w+ = import\(/.test(l));
        expect(runtime, `${dir}/${f}`).toEqual([]);
      }
    }
  });
});
