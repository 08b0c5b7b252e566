/** augment random-crop: training windows, and centre / ten-crop windows at evaluation. */
import * as tfl from "@tensorflow/tfjs-layers";
import { beforeAll, describe, expect, it } from "vitest";
import { cropBatch } from "../../src/train/crop.js";
import { cropOrigins, evaluateModel, predictProbabilities } from "../../src/train/evaluate.js";
import { buildSeededModel } from "../../src/train/index.js";
import { createRng } from "../../src/util/rng.js";
import { CLASSES, split, useCpu } from "./helpers.js";

beforeAll(useCpu);

/** 1 image, 4x4x1, values 0..15 row-major. */
const img = Float32Array.from({ length: 16 }, (_, i) => i);

/** The (ch x cw) window at (top, left) of NHWC images, on the host: the reference. */
function window(x: Float32Array, n: number, [h, w, c]: readonly [number, number, number], [ch, cw]: readonly [number, number], top: number, left: number, mirror = false): Float32Array {
  const out = new Float32Array(n * ch * cw * c);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < ch; y++)
      for (let xx = 0; xx < cw; xx++)
        for (let k = 0; k < c; k++) out[((i * ch + y) * cw + (mirror ? cw - 1 - xx : xx)) * c + k] = x[((i * h + top + y) * w + left + xx) * c + k]!;
  return out;
}

describe("random-crop windows", () => {
  it("without an rng: the centre window, exactly", () => {
    const out = new Float32Array(4);
    cropBatch(img, out, 1, [4, 4, 1], [2, 2], undefined);
    expect(Array.from(out)).toEqual([5, 6, 9, 10]);
  });

  it("with an rng: a whole window at every offset, each offset reached", () => {
    const rng = createRng(3);
    const seen = new Set<number>();
    for (let t = 0; t < 200; t++) {
      const out = new Float32Array(9);
      cropBatch(img, out, 1, [4, 4, 1], [3, 3], rng);
      const top = Math.floor(out[0]! / 4), left = out[0]! % 4;
      expect(Array.from(out)).toEqual(Array.from(window(img, 1, [4, 4, 1], [3, 3], top, left)));
      seen.add(top * 4 + left);
    }
    expect([...seen].sort()).toEqual([0, 1, 4, 5]);
  });

  it("ten-crop looks at the four corners and the centre", () => {
    expect(cropOrigins(48, 48, [40, 40], "ten-crop")).toEqual([[0, 0], [0, 8], [8, 0], [8, 8], [4, 4]]);
    expect(cropOrigins(48, 48, [40, 40], "flip")).toEqual([[4, 4]]);
  });

  it("evaluation on the centre window, and ten-crop as the mean of the ten views' softmax", async () => {
    // A model for 6x6 inputs evaluated on 8x8 images.
    const model = buildSeededModel(() => {
      const m = tfl.sequential();
      m.add(tfl.layers.conv2d({ inputShape: [6, 6, 1], filters: 3, kernelSize: 3, name: "c" }));
      m.add(tfl.layers.flatten());
      m.add(tfl.layers.dense({ units: 3, activation: "softmax", name: "out" }));
      return m;
    }, 5);
    const s = split(20, 9);
    const shape = [8, 8, 1] as const;
    const centre = await predictProbabilities(model, s.x, s.n, shape, 8, "none", [6, 6]);
    const direct = await predictProbabilities(model, window(s.x, s.n, shape, [6, 6], 1, 1), s.n, [6, 6, 1]);
    centre.forEach((v, i) => expect(v).toBeCloseTo(direct[i]!, 6));

    const ten = await predictProbabilities(model, s.x, s.n, shape, 8, "ten-crop", [6, 6]);
    const views = await Promise.all(cropOrigins(8, 8, [6, 6], "ten-crop").flatMap(([t, l]) => [false, true].map((mir) => predictProbabilities(model, window(s.x, s.n, shape, [6, 6], t, l, mir), s.n, [6, 6, 1]))));
    ten.forEach((v, i) => expect(v).toBeCloseTo(views.reduce((a, p) => a + p[i]!, 0) / 10, 6));
    expect(ten.some((v, i) => Math.abs(v - centre[i]!) > 1e-4)).toBe(true);

    const r = await evaluateModel(model, s, shape, CLASSES, "test", 8, "ten-crop", [6, 6]);
    expect(r.tta).toBe("ten-crop");
    expect(r.n).toBe(20);
  });
});
