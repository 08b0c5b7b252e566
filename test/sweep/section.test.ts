/** The `sweep { }` section: checked like every other section, every value applied and checked. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import { format } from "../../src/format/index.js";
import { showResolved } from "../../src/show/show.js";
import { checkAny } from "../../src/check/any.js";
import { toYaml } from "../../src/yaml/index.js";

const DEMO = readFileSync(new URL("../../specs/demo.fer", import.meta.url), "utf8");
const withSweep = (body: string) => `${DEMO}\nsweep {\n${body}\n}\n`;
const errors = (text: string) => checkSource(text, "x.fer").diagnostics.filter((d) => d.severity === "error");
/** 1-based line of the first occurrence of `needle` in `text`. */
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split("\n").length;

describe("sweep section", () => {
  it("resolves into the IR: paths, canonical values, samples and seed", () => {
    const r = checkSource(withSweep("  vary train.batch [32, 64]\n  vary train.optimizer.lr [1e-3, 0.002]\n  samples 3; seed 5"), "x.fer");
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.spec?.sweep).toEqual({
      vary: [
        { path: "train.batch", values: ["32", "64"] },
        { path: "train.optimizer.lr", values: ["1e-3", "2e-3"] },
      ],
      samples: 3,
      seed: 5,
    });
  });

  it("a spec without the section has no sweep in its IR", () => {
    expect(checkSource(DEMO, "x.fer").spec?.sweep).toBeUndefined();
  });

  it("reports an unknown path at the path, with a did-you-mean", () => {
    const text = withSweep("  vary train.bach [32, 64]");
    const [e] = errors(text);
    expect(e?.code).toBe("F0701");
    expect(e?.span.line).toBe(lineOf(text, "train.bach"));
    expect(e?.span.column).toBe(8);
    expect(e?.hint).toContain("train.batch");
  });

  it("reports a value out of range at that value (line:col), naming the checker's reason", () => {
    const text = withSweep("  vary train.batch [32, 0]");
    const es = errors(text);
    expect(es).toHaveLength(1);
    expect(es[0]!.code).toBe("F0702");
    expect(es[0]!.message).toContain("train.batch = 0 does not check");
    expect(es[0]!.span.line).toBe(lineOf(text, "[32, 0]"));
    expect(es[0]!.span.column).toBe(text.split("\n")[lineOf(text, "[32, 0]") - 1]!.indexOf("0]") + 1);
  });

  it("reports a layer option that collapses the model downstream", () => {
    const text = withSweep("  vary model.conv1.stride [2, 64]");
    const es = errors(text);
    expect(es.map((e) => e.code)).toEqual(["F0702"]);
    expect(es[0]!.message).toMatch(/model\.conv1\.stride = 64 does not check/);
  });

  it("checks every combination of a small grid", () => {
    // Each value checks alone; together the first pool shrinks 12x12 to 2x2 and the third collapses.
    const text = withSweep("  vary model.conv1.stride [2, 4]\n  vary model.pool1.size [2x2, 6x6]");
    const es = errors(text);
    expect(es.map((e) => e.code)).toEqual(["F0703"]);
    expect(es[0]!.message).toMatch(/the trial model\.conv1\.stride = 4, model\.pool1\.size = 6x6 does not check/);
    expect(es[0]!.span.line).toBe(lineOf(text, "sweep {"));
  });

  it("syntax: values must be a list, samples a positive integer, no duplicates", () => {
    const es = errors(withSweep("  vary train.batch 32\n  vary train.seed [1, 1]\n  samples 0\n  vary train.seed [2]"));
    const codes = es.map((e) => e.code).sort();
    expect(codes).toEqual(["F0107", "F0107", "F0201", "F0202"]);
  });

  it("a sweep without vary is an error", () => {
    expect(errors(withSweep("  samples 2")).map((e) => e.code)).toEqual(["F0108"]);
  });

  it("a layer inside a repeat cannot vary alone; its repeat variable can", () => {
    const vgg = readFileSync(new URL("../../specs/vgg-small.fer", import.meta.url), "utf8");
    const bad = errors(`${vgg}\nsweep { vary model.block2.conv1.filters [32, 48] }\n`);
    expect(bad[0]?.code).toBe("F0701");
    expect(bad[0]?.hint).toContain("model.block.");
    const good = checkSource(`${vgg}\nsweep { vary model.block.filters [[16, 32, 64], [32, 64, 128]] }\n`, "v.fer");
    // The wider variant makes the base's `expect params` stale: trials drop it, the sweep checks.
    expect(good.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(good.spec?.sweep?.vary[0]?.values).toEqual(["[16, 32, 64]", "[32, 64, 128]"]);
  });

  it("fmt keeps the section (last) and is idempotent; YAML round-trips it; show --resolved keeps it", () => {
    const text = `sweep { vary train.batch [32,64]; samples 1 }\n${DEMO}`;
    const once = format(text).output;
    expect(once.trimEnd().endsWith("sweep {\n  vary train.batch [32, 64]\n  samples 1\n}")).toBe(true);
    expect(format(once).output).toBe(once);
    const yaml = toYaml(once).output;
    const back = checkAny(yaml, "x.fer.yaml");
    expect(back.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(back.spec?.sweep).toEqual({ vary: [{ path: "train.batch", values: ["32", "64"] }], samples: 1, seed: 0 });
    expect(showResolved(once, "x.fer")).toMatch(/sweep \{\n  vary train\.batch \[32, 64\]\n  samples 1\n  seed 0\n\}/);
  });
});
