/** Planning a sweep (nothing runs): grid order, seeded sampling, --vary over the spec's section, trial specs. */
import { promises as fsp, readFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import type { SpecIR } from "../../src/ir.js";
import { planSweep, type NewSweep } from "../../src/sweep/create.js";
import { chooseGridPoints, gridPoint } from "../../src/variation/plan.js";
import { parseVaryFlag, splitTopLevel, type Variation } from "../../src/variation/values.js";
import { parse } from "../../src/syntax/parser.js";

const DEMO = readFileSync(new URL("../../specs/demo.fer", import.meta.url), "utf8");
let root: string;
beforeAll(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), "ferc-sweep-plan-"));
});
afterAll(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

const vary = (s: string): Variation => {
  const v = parseVaryFlag(s);
  if (typeof v === "string") throw new Error(v);
  return v;
};

function request(text: string, extra: Partial<NewSweep> = {}): NewSweep {
  const checked = checkSource(text, "demo.fer");
  if (!checked.spec) throw new Error(JSON.stringify(checked.diagnostics));
  return {
    file: "demo.fer",
    document: parse(text).document,
    checked: checked as typeof checked & { spec: SpecIR },
    cliVariations: [],
    executor: "local",
    run: { epochs: 1 },
    sweepsDir: path.join(root, "sweeps"),
    ...extra,
  };
}

describe("sweep planning", () => {
  it("--vary values are .fer values, split at top-level commas", () => {
    expect(splitTopLevel("[16, 32],[32,64], 3")).toEqual(["[16, 32]", "[32,64]", "3"]);
    const v = vary("model.block.filters=[16,32,64],[32,64,128]");
    expect(v.values.map((x) => x.text)).toEqual(["[16, 32, 64]", "[32, 64, 128]"]);
    expect(vary("augment.rotate=10deg,0.2rad").values.map((x) => x.text)).toEqual(["10deg", "0.2rad"]);
    expect(parseVaryFlag("train.batch=32,,64")).toMatch(/cannot read value ""/);
    expect(parseVaryFlag("train.batch=32,32")).toMatch(/value 32 is given twice/);
  });

  it("the grid runs the first variation slowest; sampling is seeded, distinct and in grid order", () => {
    const vs = [vary("a.b=1,2,3"), vary("c.d=4,5")];
    expect([0, 1, 2, 5].map((n) => gridPoint(vs, n))).toEqual([[0, 0], [0, 1], [1, 0], [2, 1]]);
    expect(chooseGridPoints(vs, undefined, 0)).toEqual([0, 1, 2, 3, 4, 5]);
    const a = chooseGridPoints(vs, 3, 7);
    expect(a).toHaveLength(3);
    expect(new Set(a).size).toBe(3);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(chooseGridPoints(vs, 3, 7)).toEqual(a);
    const seeds = new Set([1, 2, 3, 4, 5, 6].map((s) => chooseGridPoints(vs, 3, s).join(",")));
    expect(seeds.size).toBeGreaterThan(1);
    expect(chooseGridPoints(vs, 99, 1)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("plans the spec's sweep section with samples, writes checkable trial specs and sweep.yaml", async () => {
    const text = `${DEMO}\nsweep {\n  vary train.batch [16, 32, 64]\n  vary train.optimizer.lr [1e-3, 4e-3]\n  samples 4; seed 3\n}\n`;
    const p = await planSweep(request(text));
    if (!p.ok) throw new Error(p.errors.join("\n"));
    expect(p.state.sampling).toEqual({ mode: "random", samples: 4, seed: 3, gridSize: 6 });
    expect(p.state.trials.map((t) => t.id)).toEqual(["t1", "t2", "t3", "t4"]);
    const again = await planSweep(request(text));
    expect(again.ok && again.state.trials.map((t) => t.assignment)).toEqual(p.state.trials.map((t) => t.assignment));
    for (const t of p.state.trials) {
      const trialText = await fsp.readFile(path.join(p.dir, t.spec), "utf8");
      const r = checkSource(trialText, t.spec);
      expect(r.ok).toBe(true);
      expect(r.spec?.sweep).toBeUndefined();
      expect(r.spec?.train.batch).toBe(Number(t.assignment["train.batch"]));
      expect(r.spec?.train.optimizer.lr).toBe(Number(t.assignment["train.optimizer.lr"]));
    }
    expect(await fsp.readFile(path.join(p.dir, "sweep.yaml"), "utf8")).toContain("rankedBy: val.acc");
  });

  it("--vary replaces the spec's variation of the same path (also by its ferc diff name)", async () => {
    const text = `${DEMO}\nsweep { vary train.early-stop.patience [1, 2, 3]; vary train.seed [1, 2] }\n`;
    const p = await planSweep(request(text, { cliVariations: [vary("train.earlyStop.patience=5")] }));
    if (!p.ok) throw new Error(p.errors.join("\n"));
    expect(p.state.vary).toEqual([{ path: "train.seed", values: ["1", "2"] }, { path: "train.earlyStop.patience", values: ["5"] }]);
    expect(p.state.trials.map((t) => t.changes)).toEqual([
      ["train.seed 7 → 1", "train.earlyStop.patience 2 → 5"],
      ["train.seed 7 → 2", "train.earlyStop.patience 2 → 5"],
    ]);
  });

  it("a layer change reports its semantic difference and parameter count", async () => {
    const p = await planSweep(request(DEMO, { cliVariations: [vary("model.dense1.units=32")] }));
    if (!p.ok) throw new Error(p.errors.join("\n"));
    const [t] = p.state.trials;
    expect(t!.params).toBe(33255 - 288 * 32 - 32 - 32 * 7);
    expect(t!.changes[0]).toMatch(/^dense1 \(dense\) units 64 → 32, shape 64 → 32: -\d/);
    expect(t!.changes[t!.changes.length - 1]).toMatch(/^params 33,255 → /);
  });

  it("a repeat variable: the trial spec (resolved, stale expect params dropped) checks to the trial's parameter count", async () => {
    const vgg = readFileSync(new URL("../../specs/vgg-small.fer", import.meta.url), "utf8");
    const p = await planSweep(request(vgg, { cliVariations: [vary("model.block.filters=[32,64,128]")] }));
    if (!p.ok) throw new Error(p.errors.join("\n"));
    const [t] = p.state.trials;
    expect(t!.droppedExpect?.length).toBeGreaterThan(0);
    const r = checkSource(await fsp.readFile(path.join(p.dir, t!.spec), "utf8"), t!.spec);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.spec?.totals.total).toBe(t!.params);
    expect(r.spec?.model.layers.find((l) => l.name === "block3.conv1")?.options["filters"]).toBe(128);
  });

  it("nothing to vary is an error", async () => {
    const p = await planSweep(request(DEMO));
    expect(p.ok).toBe(false);
    expect(!p.ok && p.errors[0]).toMatch(/no sweep section and no --vary/);
  });
});
