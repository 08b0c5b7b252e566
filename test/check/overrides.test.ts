/** `ferc run --epochs/--batch/--seed` checked as if written in the spec. */
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import { checkOverrides, POLICY_FLAGS, type PolicyOverride } from "../../src/check/overrides.js";
import { parse } from "../../src/syntax/parser.js";
import { readSpec } from "./helpers.js";

function problems(name: string, overrides: readonly PolicyOverride[]) {
  const text = readSpec(name);
  const base = checkSource(text, `${name}.fer`);
  expect(base.ok).toBe(true);
  return checkOverrides(parse(text).document, base.spec!, `specs/${name}.fer`, overrides);
}

const batch = (value: number): PolicyOverride => ({ flag: "batch", path: POLICY_FLAGS["batch"]!, value });

describe("checkOverrides", () => {
  it("--batch 100000 gets batch's own range error, pointed at the command line", () => {
    const p = problems("vgg-small", [batch(100000)]);
    expect(p.inSpec).toEqual([]);
    expect(p.atFlags).toHaveLength(1);
    expect(p.atFlags[0]).toMatchObject({ code: "F0202", file: "the command line" });
    expect(p.atFlags[0]!.message).toBe("--batch 100000: batch: size must be in [1, 65536], got 100000");
  });

  it("--batch 60000 gets the memory errors at the layers it would overflow, as `batch 60000` in the spec does", () => {
    const p = problems("vgg-wide", [batch(60000)]);
    expect(p.atFlags).toEqual([]);
    expect(p.inSpec.length).toBeGreaterThan(0);
    expect(p.inSpec.every((d) => d.code === "F0601" && d.file === "specs/vgg-wide.fer")).toBe(true);
    expect(p.inSpec[0]!.message).toMatch(/^block1\.conv1: activations 44x44x32 at batch 60000 need .* \(with --batch 60000\)$/);
    // The same errors as the spec edited by hand, at the same places.
    const edited = checkSource(readSpec("vgg-wide").replace("batch 128", "batch 60000"));
    expect(p.inSpec.map((d) => [d.code, d.span.line])).toEqual(edited.diagnostics.filter((d) => d.severity === "error").map((d) => [d.code, d.span.line]));
  });

  it("values that check, and no overrides, give nothing", () => {
    expect(problems("vgg-small", [batch(64), { flag: "epochs", path: "train.epochs", value: 2 }, { flag: "seed", path: "train.seed", value: 3 }])).toEqual({ atFlags: [], inSpec: [] });
    expect(problems("vgg-small", [])).toEqual({ atFlags: [], inSpec: [] });
  });

  it("--epochs 0 and a fractional --epochs are refused with the checker's words, naming the flag", () => {
    const zero = problems("demo", [{ flag: "epochs", path: "train.epochs", value: 0 }]);
    expect(zero.atFlags.map((d) => d.message)).toEqual(["--epochs 0: epochs: count must be in [1, 100000], got 0"]);
    const half = problems("demo", [{ flag: "epochs", path: "train.epochs", value: 1.5 }]);
    expect(half.atFlags).toHaveLength(1);
    expect(half.atFlags[0]!.message).toMatch(/^--epochs 1\.5: /);
  });
});
