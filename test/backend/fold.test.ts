/**
 * Batch norm folded into the convolution before it for inference (src/compile/fold.ts): the
 * folded model gives the unfolded model's probabilities (float rounding only) on the shipped
 * residual and vgg-plus layouts with non-trivial batch-norm statistics, has fewer layers, tracks
 * weight changes between calls, and leaves a model with nothing to fold untouched.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import type * as tflTypes from "@tensorflow/tfjs-layers";
import { randomData, setupBackends, tf } from "./compare.js";
import { checkAny } from "../../src/check/any.js";
import { compileModel } from "../../src/compile/tfjs.js";
import { inferenceModel } from "../../src/compile/fold.js";
import { predictProbabilities } from "../../src/train/evaluate.js";

const tfl = createRequire(import.meta.url)("@tensorflow/tfjs-layers") as typeof tflTypes;

beforeAll(async () => {
  await setupBackends();
  await tf.setBackend("wasm");
});

function model(file: string): tflTypes.LayersModel {
  const spec = checkAny(readFileSync(file, "utf8"), file).spec!;
  const m = compileModel(spec, tfl);
  // Moving statistics and BN parameters away from their initial 0/1, so folding has work to do.
  let seed = 1;
  for (const layer of m.layers) {
    if (layer.getClassName() !== "BatchNormalization") continue;
    layer.setWeights(layer.getWeights().map((w, i) => {
      const r = randomData(w.size, seed++);
      return tf.tensor(i === 3 ? r.map((v) => 0.5 + Math.abs(v)) : r.map((v) => (i === 0 ? 1 + 0.3 * v : 0.3 * v)), w.shape);
    }));
  }
  return m;
}

async function unfolded<T>(fn: () => Promise<T>): Promise<T> {
  process.env["FERC_FOLD"] = "0";
  try {
    return await fn();
  } finally {
    delete process.env["FERC_FOLD"];
  }
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

describe("inference model with batch norm folded", () => {
  for (const file of ["specs/resnet-small.fer", "specs/vgg-plus.fer"]) {
    it(`${file}: same probabilities, fewer layers, follows weight changes`, async () => {
      const m = model(file);
      const n = 6;
      const x = randomData(n * 48 * 48, 42);
      const folded = await predictProbabilities(m, x, n, [48, 48, 1]);
      const plain = await unfolded(() => predictProbabilities(m, x, n, [48, 48, 1]));
      const diff = maxDiff(folded, plain);
      console.log(`${file}: folded vs unfolded max |Δp| ${diff.toExponential(2)}`);
      expect(diff).toBeLessThan(1e-5);
      expect(inferenceModel(m).layers.length).toBeLessThan(m.layers.length);
      // Training moves the weights between evaluations: the folded copy must follow.
      const conv = m.layers.find((l) => l.getClassName() === "Conv2D")!;
      conv.setWeights(conv.getWeights().map((w) => tf.mul(w, 1.5)));
      const folded2 = await predictProbabilities(m, x, n, [48, 48, 1]);
      const plain2 = await unfolded(() => predictProbabilities(m, x, n, [48, 48, 1]));
      expect(maxDiff(folded2, plain2)).toBeLessThan(1e-5);
      expect(maxDiff(folded2, folded)).toBeGreaterThan(1e-4);
    });
  }

  it("returns a model with nothing to fold as it is (vgg-small: batch norm after relu)", () => {
    const m = model("specs/vgg-small.fer");
    expect(inferenceModel(m)).toBe(m);
  });
});
