/** Test-time flip averaging: predictions are the mean of the image's and its mirror's softmax. */
import { beforeAll, describe, expect, it } from "vitest";
import { buildSeededModel } from "../../src/train/index.js";
import { evaluateModel, predictProbabilities } from "../../src/train/evaluate.js";
import { CLASSES, SHAPE, split, tinyModel, useCpu } from "./helpers.js";

beforeAll(useCpu);

/** Mirror NHWC images left-right on the host (the reference for tf.reverse on axis 2). */
function mirror(x: Float32Array, n: number, [h, w, c]: readonly [number, number, number]): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < h; r++)
      for (let col = 0; col < w; col++)
        for (let ch = 0; ch < c; ch++) out[((i * h + r) * w + (w - 1 - col)) * c + ch] = x[((i * h + r) * w + col) * c + ch]!;
  return out;
}

describe("tta flip", () => {
  it("averages the softmax of each image and its mirror, in predictions and in evaluation", async () => {
    const model = buildSeededModel(() => tinyModel(), 3);
    const s = split(40, 5);
    const plain = await predictProbabilities(model, s.x, s.n, SHAPE);
    const mirrored = await predictProbabilities(model, mirror(s.x, s.n, SHAPE), s.n, SHAPE);
    const flip = await predictProbabilities(model, s.x, s.n, SHAPE, 16, "flip");
    let d = 0;
    flip.forEach((v, i) => (d = Math.max(d, Math.abs(v - (plain[i]! + mirrored[i]!) / 2))));
    expect(d).toBeLessThan(1e-6);
    // The untrained model is not mirror-symmetric, so flip must change something.
    expect(plain.some((v, i) => Math.abs(v - flip[i]!) > 1e-4)).toBe(true);

    const k = CLASSES.length;
    const evalFlip = await evaluateModel(model, s, SHAPE, CLASSES, "test", 16, "flip");
    expect(evalFlip.tta).toBe("flip");
    let correct = 0;
    for (let i = 0; i < s.n; i++) {
      const row = flip.subarray(i * k, (i + 1) * k);
      if (row.indexOf(Math.max(...row)) === s.labels[i]) correct++;
    }
    expect(evalFlip.acc).toBeCloseTo(correct / s.n, 10);
    expect((await evaluateModel(model, s, SHAPE, CLASSES, "test")).tta).toBeUndefined();
  });
});
