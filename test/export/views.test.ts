/**
 * The test-time views in the ONNX graph (src/export/onnxViews.ts) against the views `ferc predict`
 * and `ferc eval` average (src/face/views.ts predictViews), for every combination: whole input or
 * a random-crop window, tta none / flip / ten-crop. A small seeded model, no training: the
 * classifier is scaled so the softmax is far from uniform and a wrong window or mirror shows.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { check } from "../../src/index.js";
import { compileModel } from "../../src/compile/index.js";
import { applyPreprocess, fitPreprocess } from "../../src/data/preprocess.js";
import { generateSynthetic } from "../../src/data/synthetic.js";
import { exportOnnx } from "../../src/export/index.js";
import { predictViews, type Tta } from "../../src/face/views.js";
import { maxAbsDiff } from "./helpers.js";

const CLASSES = ["a", "b", "c", "d", "e", "f", "g"];

function spec(crop: boolean, tta: Tta): string {
  return `spec views
dataset d { source synthetic count 70 seed 1; input 12x12x1; classes ${CLASSES.join(" ")} }
preprocess { standardize per-image }
${crop ? "augment { random-crop 9x9 }" : ""}
model { conv 3x3 6 same relu; flatten; dense 7 softmax }
train { optimizer adam; batch 8; epochs 1; seed 3; tta ${tta} }
`;
}

describe("ONNX views = predict's views", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });
  const cases: [boolean, Tta][] = [[false, "none"], [false, "flip"], [true, "none"], [true, "flip"], [true, "ten-crop"]];
  it.each(cases)("random-crop %s, tta %s", async (crop, tta) => {
    const r = check(spec(crop, tta), "views.fer");
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const ir = r.spec!;
    const model = compileModel(ir, tfl);
    const dense = model.getLayer("dense1");
    dense.setWeights(dense.getWeights().map((w, i) => (i === 0 ? tf.mul(w, 25) : w)));
    const imgs = generateSynthetic({ count: 14, seed: 9, noise: 0.1, input: [12, 12, 1], numClasses: 7 });
    const stats = fitPreprocess({ n: imgs.n, height: 12, width: 12, channels: 1, pixels: imgs.pixels, labels: imgs.labels }, ir.preprocess);
    const x = tf.tensor4d(applyPreprocess(imgs.pixels, stats), [imgs.n, 12, 12, 1]);
    const window = ir.augment.randomCrop;
    const want = Array.from(tf.tidy(() => predictViews(tf, (v) => model.predict(v) as tf.Tensor, x, window, tta)).dataSync());
    const alone = Array.from(tf.tidy(() => predictViews(tf, (v) => model.predict(v) as tf.Tensor, x, window, "none")).dataSync());
    const bytes = exportOnnx(model, stats, { classes: CLASSES, name: "views", producerVersion: "test", crop: window, tta });
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ pixels: new ort.Tensor("float32", Float32Array.from(imgs.pixels), [imgs.n, 12, 12, 1]) });
    const got = Array.from(out["probabilities"]!.data as Float32Array);
    expect(got).toHaveLength(imgs.n * 7);
    expect(maxAbsDiff(want, got)).toBeLessThan(1e-5);
    // The averaging changes the answer, so the comparison above tells the views apart.
    if (tta !== "none") expect(maxAbsDiff(want, alone)).toBeGreaterThan(1e-3);
    x.dispose();
    model.dispose();
  });
});
