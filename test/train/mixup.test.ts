/** augment mixup: λ ~ Beta(α, α) folded to [0.5, 1], mixed images, mixed targets in the step. */
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { buildSeededModel, trainModel } from "../../src/train/index.js";
import { makeBatchStep } from "../../src/train/step.js";
import { mixBatch, mixupLambda } from "../../src/train/mixup.js";
import { createRng } from "../../src/util/rng.js";
import { checkSource } from "../../src/check/index.js";
import { resolvedText } from "../../src/show/resolved.js";
import { CLASSES, SHAPE, split, tinyModel, trainIR, useCpu } from "./helpers.js";
import { specWith } from "../check/helpers.js";

beforeAll(useCpu);

describe("mixup", () => {
  it("λ is in [0.5, 1]; Beta(1, 1) folded has mean 0.75, Beta(0.2, 0.2) sits near 1", () => {
    const rng = createRng(1);
    const draw = (a: number) => Array.from({ length: 4000 }, () => mixupLambda(a, rng));
    const u = draw(1), s = draw(0.2);
    for (const l of [...u, ...s]) expect(l >= 0.5 && l <= 1).toBe(true);
    expect(u.reduce((a, b) => a + b, 0) / u.length).toBeCloseTo(0.75, 1);
    expect(s.filter((l) => l > 0.9).length / s.length).toBeGreaterThan(0.5);
  });

  it("mixBatch: λ·x + (1 − λ)·x[partner], partner labels aligned", () => {
    const src = Float32Array.from([0, 0, 10, 10, 20, 20]); // 3 images of 2 values
    const dst = new Float32Array(6);
    const labels = Uint8Array.from([0, 1, 2]);
    const { partner, lambda } = mixBatch(src, dst, labels, 3, 2, 1, createRng(4));
    for (let i = 0; i < 3; i++) {
      const j = partner[i]!; // label j is image j here
      expect(dst[2 * i]).toBeCloseTo(lambda * src[2 * i]! + (1 - lambda) * src[2 * j]!, 5);
    }
  });

  it("the step's loss with mixed targets is λ·L(labels) + (1 − λ)·L(partner) at the same weights", async () => {
    const s = split(16, 3);
    const partner = Uint8Array.from(s.labels).reverse();
    const lossWith = async (labels: Uint8Array, mix?: { partner: Uint8Array; lambda: number }) => {
      const model = buildSeededModel(() => tinyModel({ bn: false }), 11);
      const opt = tf.train.sgd(0.01);
      const step = makeBatchStep(model, opt, { shape: SHAPE, classes: 3, labelSmoothing: 0.1, weightDecay: 0, classWeights: null, dropoutRng: createRng(1) });
      const r = await step(s.x, labels, 0.01, mix).read();
      model.dispose();
      return r.loss;
    };
    const mixed = await lossWith(s.labels, { partner, lambda: 0.7 });
    expect(mixed).toBeCloseTo(0.7 * (await lossWith(s.labels)) + 0.3 * (await lossWith(partner)), 5);
  });

  it("trains with augmentation only, repeatably: same seed same losses, other than without mixup", async () => {
    const data = { train: split(64, 1), val: split(16, 2), shape: SHAPE, classes: CLASSES };
    const noop = (src: Float32Array, dst: Float32Array) => dst.set(src);
    const run = async (mixup?: number) => {
      const model = buildSeededModel(() => tinyModel(), 5);
      const r = await trainModel({ train: trainIR({ epochs: 2, seed: 5 }), model, data, augment: noop, ...(mixup ? { mixup } : {}) });
      model.dispose();
      return r.history.map((h) => h.loss);
    };
    const a = await run(0.4), b = await run(0.4), plain = await run();
    expect(a).toEqual(b);
    expect(a).not.toEqual(plain);
  });

  it("in the language: augment { mixup 0.2 }, checked, resolved; 0 is refused", () => {
    const r = checkSource(specWith("flatten\ndense 7 softmax", { extra: "augment { mixup 0.2 }" }));
    expect(r.diagnostics).toEqual([]);
    expect(r.spec!.augment.mixup).toBe(0.2);
    expect(resolvedText(r.spec!)).toMatch(/mixup 0\.2/);
    const bad = checkSource(specWith("flatten\ndense 7 softmax", { extra: "augment { mixup 0 }" }));
    expect(bad.diagnostics.map((d) => d.code)).toEqual(["F0202"]);
  });
});
