/**
 * For every spec, the compiled tfjs model agrees with the checker layer for layer: names, output
 * shapes, parameter counts (trainable and non-trainable). Topologies are snapshotted.
 */
import "@tensorflow/tfjs-backend-cpu";
import { zeros, type Tensor } from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { concreteLayers } from "../../src/check/flatten.js";
import { checkSource } from "../../src/check/index.js";
import { compileModel, layerSeed, modelTopology } from "../../src/compile/index.js";
import type { SpecIR } from "../../src/ir.js";

const dir = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
const SOURCES = [
  ...readdirSync(dir("../../specs/")).filter((f) => f.endsWith(".fer")).map((f) => `../../specs/${f}`),
  ...readdirSync(dir("./fixtures/")).filter((f) => f.endsWith(".fer")).map((f) => `./fixtures/${f}`),
].sort();

function specOf(rel: string): SpecIR {
  const r = checkSource(readFileSync(dir(rel), "utf8"), rel);
  expect(r.diagnostics).toEqual([]);
  return r.spec!;
}

const count = (ws: readonly { shape: readonly number[] }[]): number => ws.reduce((a, w) => a + w.shape.reduce((x, y) => x * y, 1), 0);

describe.each(SOURCES)("%s", (rel) => {
  const spec = specOf(rel);
  const model = compileModel(spec, tfl);
  const expected = concreteLayers(spec.model.layers);
  const actual = new Map(model.layers.filter((l) => l.name !== "input").map((l) => [l.name, l]));

  it("has the checker's layers, by name", () => {
    expect([...actual.keys()].sort()).toEqual(expected.map((r) => r.name).sort());
    expect(model.getLayer("input").name).toBe("input");
  });

  it.each(expected.map((r) => [r.name, r] as const))("%s: shape and params agree", (name, row) => {
    const layer = actual.get(name)!;
    expect((layer.outputShape as number[]).slice(1)).toEqual([...row.outputShape]);
    expect(count(layer.trainableWeights)).toBe(row.trainableParams);
    expect(count(layer.nonTrainableWeights)).toBe(row.params - row.trainableParams);
  });

  it("totals agree", () => {
    expect(model.countParams()).toBe(spec.totals.total);
    expect(count(model.trainableWeights)).toBe(spec.totals.trainable);
  });

  it("topology is deterministic and snapshotted", async () => {
    const a = modelTopology(spec, tfl);
    expect(modelTopology(spec, tfl)).toBe(a);
    const base = rel.split("/").pop()!.replace(/\.fer$/, "");
    await expect(a).toMatchFileSnapshot(`./__snapshots__/${base}.topology.json`);
  });
});

describe("initialisers", () => {
  it("seed depends on the spec seed and the layer name only", () => {
    expect(layerSeed(42, "block1.conv1")).toBe(layerSeed(42, "block1.conv1"));
    expect(layerSeed(42, "block1.conv1")).not.toBe(layerSeed(42, "block1.conv2"));
    expect(layerSeed(42, "block1.conv1")).not.toBe(layerSeed(43, "block1.conv1"));
  });

  it("inserting a layer leaves the other layers' initial weights unchanged", () => {
    const base = "spec s\ndataset d {}\nmodel { conv 3x3 4; %INSERT% flatten; dense 7 softmax }\ntrain { seed 1 }";
    const a = compileModel(checkSource(base.replace("%INSERT%", "")).spec!, tfl);
    const b = compileModel(checkSource(base.replace("%INSERT%", "batchnorm;")).spec!, tfl);
    for (const name of ["conv1", "dense1"]) {
      const wa = a.getLayer(name).getWeights()[0]!.dataSync();
      const wb = b.getLayer(name).getWeights()[0]!.dataSync();
      expect(Array.from(wb)).toEqual(Array.from(wa));
    }
  });

  it("the compiled model predicts a distribution over the classes", () => {
    const spec = specOf("../../specs/demo.fer");
    const model = compileModel(spec, tfl);
    const out = model.predict(zeros([2, 48, 48, 1])) as Tensor;
    expect(out.shape).toEqual([2, 7]);
    const p = out.dataSync();
    expect(p.slice(0, 7).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });
});
