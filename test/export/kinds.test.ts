/**
 * The ONNX export fixtures derived from the layer registry: every registered kind's own example
 * (`LayerKind.example`), between a small conv and a softmax head, compiled with seeded random
 * weights (so no weight is a trivial 0 or 1), exported, and run in onnxruntime-node against tfjs
 * within 1e-4. A new kind is tested the day it is registered; one without an `onnx` hook fails
 * here by name.
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
import { LAYER_KINDS } from "../../src/layers/registry.js";
import { createRng } from "../../src/util/rng.js";
import type { SpecIR } from "../../src/ir.js";
import { maxAbsDiff } from "./helpers.js";

const CLASSES = ["a", "b", "c"];
const INPUT = [12, 12, 3] as const;

function specText(model: string): string {
  return `spec kind
dataset d { source synthetic count 30 seed 1; input ${INPUT.join("x")}; classes ${CLASSES.join(" ")} }
preprocess { scale }
model { ${model} }
train { optimizer adam; batch 8; epochs 1; seed 3 }
`;
}

/** The kind's example in a model that checks: after a conv (or a flatten, for a vector layer), before a softmax head. */
function fixture(example: string): SpecIR {
  for (const before of ["conv 3x3 4 same", "conv 3x3 4 same; flatten"]) {
    const probe = check(specText(`${before}; ${example}; flatten; dense 3 softmax`), "kind.fer");
    const flat = check(specText(`${before}; ${example}; dense 3 softmax`), "kind.fer");
    const r = flat.ok ? flat : probe;
    if (r.ok) return r.spec!;
  }
  throw new Error(`no fixture model checks around "${example}"`);
}

/** Seeded random weights; variances stay positive. */
function randomise(model: tfl.LayersModel, seed: number): void {
  const rng = createRng(seed);
  for (const layer of model.layers) {
    const ws = layer.weights.map((w) => {
      const n = w.shape.reduce<number>((a, b) => a * (b ?? 1), 1);
      const v = Float32Array.from({ length: n }, () => rng.next() - 0.5);
      if (w.originalName.endsWith("moving_variance")) v.forEach((x, i) => (v[i] = Math.abs(x) + 0.5));
      return tf.tensor(v, w.shape as number[]);
    });
    if (ws.length) layer.setWeights(ws);
  }
}

async function worstDifference(spec: SpecIR): Promise<number> {
  const model = compileModel(spec, tfl);
  randomise(model, 7);
  const [h, w, c] = INPUT;
  const imgs = generateSynthetic({ count: 6, seed: 9, noise: 0.1, input: [h, w, c], numClasses: CLASSES.length });
  const train = { n: imgs.n, height: h, width: w, channels: c, pixels: imgs.pixels, labels: imgs.labels };
  const stats = fitPreprocess(train, spec.preprocess);
  const want = Array.from((model.predict(tf.tensor4d(applyPreprocess(imgs.pixels, stats), [imgs.n, h, w, c])) as tf.Tensor).dataSync());
  const bytes = exportOnnx(model, stats, { classes: CLASSES, name: "kind", producerVersion: "test" });
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ pixels: new ort.Tensor("float32", Float32Array.from(imgs.pixels), [imgs.n, h, w, c]) });
  model.dispose();
  return maxAbsDiff(want, Array.from(out["probabilities"]!.data as Float32Array));
}

describe("ONNX export of every registered layer kind", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it("every kind declares its ONNX lowering", () => {
    expect(LAYER_KINDS.filter((k) => !k.onnx).map((k) => k.kind)).toEqual([]);
  });

  for (const kind of LAYER_KINDS) {
    it(`${kind.kind}: ${kind.example}`, async () => {
      expect(await worstDifference(fixture(kind.example))).toBeLessThan(1e-4);
    });
  }
});
