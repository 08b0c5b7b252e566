/** Every shipped spec checks clean, and the demo stays small enough to train quickly. */
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import { readSpec, SPECS_DIR } from "./helpers.js";

const SPECS = readdirSync(SPECS_DIR).filter((f) => f.endsWith(".fer")).map((f) => f.slice(0, -4)).sort();

describe("specs/", () => {
  it("ships the four reference specs", () => {
    expect(SPECS).toEqual(expect.arrayContaining(["demo", "resnet-small", "vgg-deep", "vgg-small"]));
  });

  it.each(SPECS)("%s checks without diagnostics", (name) => {
    const r = checkSource(readSpec(name), `specs/${name}.fer`);
    expect(r.diagnostics).toEqual([]);
    expect(r.spec?.name).toBe(name);
  });

  it("demo: synthetic source, 20k-60k params, adam, batch 64", () => {
    const r = checkSource(readSpec("demo"));
    expect(r.spec?.dataset.source.kind).toBe("synthetic");
    expect(r.totals.total).toBeGreaterThanOrEqual(20_000);
    expect(r.totals.total).toBeLessThanOrEqual(60_000);
    expect(r.spec?.train).toMatchObject({ batch: 64, optimizer: { kind: "adam" } });
  });

  it("resnet-small: projected residual stages", () => {
    const r = checkSource(readSpec("resnet-small"));
    const names = r.layers.map((l) => l.name);
    expect(names).toEqual(expect.arrayContaining(["res1", "stage1.res1", "stage1.res1.proj", "stage1.res1.proj_bn", "stage2.res2.act"]));
    expect(r.layers.find((l) => l.name === "stage1.res1.proj")).toMatchObject({ outputShape: [24, 24, 64], params: 32 * 64 });
  });

  it("vgg-deep: sgd nesterov, weight decay, plateau, crop/erase/flip", () => {
    const r = checkSource(readSpec("vgg-deep"));
    expect(r.spec?.train.optimizer).toEqual({ kind: "sgd", lr: 0.01, momentum: 0.9, nesterov: true });
    expect(r.spec?.train.weightDecay).toBe(5e-4);
    expect(r.spec?.train.schedule).toEqual({ kind: "plateau", monitor: "val.loss", factor: 0.5, patience: 3, minLr: 1e-6 });
    expect(r.spec?.augment).toMatchObject({ cropPadding: 4, erase: 0.5, flipHorizontal: true });
  });
});
