/**
 * Each activation the language has, alone between a conv and the classifier, exported to ONNX
 * and run in onnxruntime-node against tfjs on the same (seeded, untrained) weights. The
 * classifier's kernel is scaled up so the softmax is far from uniform and a wrong activation
 * shows in the probabilities.
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
import { INLINE_ACTIVATIONS } from "../../src/layers/common.js";
import { maxAbsDiff } from "./helpers.js";

const CLASSES = ["a", "b", "c", "d", "e", "f", "g"];

function specFor(fn: string, preprocess: string): string {
  return `spec act
dataset d { source synthetic count 70 seed 1; input 12x12x1; classes ${CLASSES.join(" ")} }
preprocess { ${preprocess} }
model { conv 3x3 6 same; activation ${fn}; flatten; dense 7 softmax }
train { optimizer adam; batch 8; epochs 1; seed 3 }
`;
}

async function compare(fn: string, preprocess = "standardize per-image"): Promise<number> {
  const r = check(specFor(fn, preprocess), "act.fer");
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const spec = r.spec!;
  const model = compileModel(spec, tfl);
  const dense = model.getLayer("dense1");
  dense.setWeights(dense.getWeights().map((w, i) => (i === 0 ? tf.mul(w, 25) : w)));
  const imgs = generateSynthetic({ count: 14, seed: 9, noise: 0.1, input: [12, 12, 1], numClasses: 7 });
  const train = { n: imgs.n, height: 12, width: 12, channels: 1, pixels: imgs.pixels, labels: imgs.labels };
  const stats = fitPreprocess(train, spec.preprocess);
  const x = applyPreprocess(imgs.pixels, stats);
  const want = Array.from((model.predict(tf.tensor4d(x, [imgs.n, 12, 12, 1])) as tf.Tensor).dataSync());
  const bytes = exportOnnx(model, stats, { classes: CLASSES, name: "act", producerVersion: "test" });
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ pixels: new ort.Tensor("float32", Float32Array.from(imgs.pixels), [imgs.n, 12, 12, 1]) });
  const got = Array.from(out["probabilities"]!.data as Float32Array);
  // The probabilities must not be near uniform, or the comparison would prove little.
  expect(Math.max(...want)).toBeGreaterThan(0.3);
  model.dispose();
  return maxAbsDiff(want, got);
}

describe("ONNX export of every activation", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });
  for (const fn of [...INLINE_ACTIVATIONS, "leaky-relu alpha 0.2"]) {
    it(`activation ${fn}`, async () => {
      expect(await compare(fn)).toBeLessThan(1e-5);
    });
  }
  it("scale then standardize dataset, in the graph", async () => {
    expect(await compare("relu", "scale; standardize dataset")).toBeLessThan(1e-5);
  });
});
