/** The checker never throws, whatever the input; and it stays free of tfjs. */
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import { readSpec } from "./helpers.js";

const WORDS = ["spec", "dataset", "model", "train", "expect", "augment", "preprocess", "conv", "dense", "repeat", "residual", "project", "with", "as",
  "maxpool", "flatten", "batchnorm", "dropout", "relu", "softmax", "same", "stride", "=", "{", "}", "[", "]", ",", ";", "\n", "3x3", "7", "0", "-1",
  "1e9", "0.5", "40deg", "x", "filters", '"s"', "shape", "params", "total", "optimizer", "sgd", "early-stop", "val.loss", "block1.conv1"];

describe("robustness", () => {
  it("never throws on token soup", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { maxLength: 60 }), (toks) => {
        const r = checkSource(toks.join(" "));
        expect(Array.isArray(r.diagnostics)).toBe(true);
        expect(r.diagnostics.every((d) => d.code !== "F0903")).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("never throws on mutated reference specs", () => {
    const text = readSpec("vgg-small") + readSpec("resnet-small");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: text.length }), fc.integer({ min: 0, max: 20 }), fc.string({ maxLength: 8 }), (at, del, ins) => {
        const r = checkSource(text.slice(0, at) + ins + text.slice(at + del));
        expect(r.diagnostics.every((d) => d.code !== "F0903")).toBe(true);
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
