/** train { ema DECAY }: validation, best and final weights are the moving average; training is not changed; resume continues it. */
import { beforeAll, describe, expect, it } from "vitest";
import { buildSeededModel, trainModel } from "../../src/train/index.js";
import type { ResumePoint } from "../../src/train/trainer.js";
import { snapshotWeights, type WeightSnapshot } from "../../src/train/weights.js";
import { checkSource } from "../../src/check/index.js";
import { resolvedText } from "../../src/show/resolved.js";
import { specWith } from "../check/helpers.js";
import { CLASSES, SHAPE, split, tinyModel, trainIR, useCpu } from "./helpers.js";

beforeAll(useCpu);

const data = { train: split(64, 1), val: split(32, 2), shape: SHAPE, classes: CLASSES };
const flat = (s: WeightSnapshot) => s.values.flatMap((v) => Array.from(v));
const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe("ema", () => {
  it("final weights are the average of the live ones after each step; the training losses are unchanged", async () => {
    const d = 0.8;
    const model = buildSeededModel(() => tinyModel(), 4);
    const seen: number[][] = [flat(await snapshotWeights(model))];
    let lastLive: number[] = [];
    const r = await trainModel({
      train: trainIR({ epochs: 2, seed: 4, ema: d }),
      model,
      data,
      beforeBatch: async (e, b) => {
        if (e > 0 || b > 0) seen.push(flat(await snapshotWeights(model)));
      },
      hooks: {
        checkpoint: async (req) => {
          if (req.kind === "last") lastLive = flat(await snapshotWeights(req.model));
        },
      },
    });
    seen.push(lastLive);
    // shadow_0 = w_0; shadow_k = d·shadow_{k-1} + (1 − d)·w_k
    let shadow = seen[0]!;
    for (const w of seen.slice(1)) shadow = shadow.map((s, i) => d * s + (1 - d) * w[i]!);
    expect(maxDiff(flat(await snapshotWeights(model)), shadow)).toBeLessThan(1e-5);

    const plain = buildSeededModel(() => tinyModel(), 4);
    const p = await trainModel({ train: trainIR({ epochs: 2, seed: 4 }), model: plain, data });
    expect(r.history.map((h) => h.loss)).toEqual(p.history.map((h) => h.loss));
    expect(r.history[1]!.valLoss).not.toBe(p.history[1]!.valLoss); // validated on the average
    expect(maxDiff(flat(await snapshotWeights(plain)), lastLive)).toBe(0); // same live trajectory
  });

  it("resume from the epoch-1 checkpoint ends with the same averaged weights as an uninterrupted run", async () => {
    const ir = trainIR({ epochs: 3, seed: 6, ema: 0.9 });
    const straight = buildSeededModel(() => tinyModel(), 6);
    let saved: ResumePoint | undefined;
    await trainModel({
      train: ir,
      model: straight,
      data,
      hooks: {
        checkpoint: async (req) => {
          if (req.kind === "last" && req.state.epochsDone === 1) saved = { state: req.state, optimizer: req.optimizer, weights: await snapshotWeights(req.model) };
        },
      },
    });
    expect(saved!.optimizer.tensors.some((t) => t.name.startsWith("ema:"))).toBe(true);
    const resumed = buildSeededModel(() => tinyModel(), 6);
    await trainModel({ train: ir, model: resumed, data, resume: saved });
    expect(maxDiff(flat(await snapshotWeights(resumed)), flat(await snapshotWeights(straight)))).toBeLessThan(1e-6);
  });

  it("in the language: train { ema 0.999 }, checked, resolved; 1 is refused", () => {
    const r = checkSource(specWith("flatten\ndense 7 softmax", { train: "ema 0.999" }));
    expect(r.diagnostics).toEqual([]);
    expect(r.spec!.train.ema).toBe(0.999);
    expect(resolvedText(r.spec!)).toMatch(/ema 0\.999/);
    expect(checkSource(specWith("flatten\ndense 7 softmax", { train: "ema 1" })).diagnostics.map((d) => d.code)).toEqual(["F0202"]);
  });
});
