/**
 * The trainer's batch step (src/train/step.ts, also what `bench:train` times) on wasm with ferc's
 * kernels: no tensors or wasm buffers leak across steps, and the loss goes down on a learnable
 * toy problem.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import type * as tflTypes from "@tensorflow/tfjs-layers";
import { randomData, setupBackends, tf } from "./compare.js";
import { makeBatchStep } from "../../src/train/step.js";
import { createRng } from "../../src/util/rng.js";
import { installFusedBatchNorm } from "../../src/backend/fusedBatchNorm.js";
import { installFusedConv2D } from "../../src/backend/fusedConv.js";

const tfl = createRequire(import.meta.url)("@tensorflow/tfjs-layers") as typeof tflTypes;

beforeAll(async () => {
  await setupBackends();
  installFusedBatchNorm(tfl);
  installFusedConv2D(tfl);
  await tf.setBackend("wasm");
});

function smallNet() {
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ inputShape: [12, 12, 1], filters: 8, kernelSize: 3, activation: "relu" }));
  m.add(tfl.layers.batchNormalization());
  m.add(tfl.layers.conv2d({ filters: 16, kernelSize: 3, activation: "relu" }));
  m.add(tfl.layers.batchNormalization());
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.dropout({ rate: 0.25 }));
  m.add(tfl.layers.flatten());
  m.add(tfl.layers.dense({ units: 3, activation: "softmax" }));
  return m;
}

describe("makeBatchStep on wasm", () => {
  it("leaks no tensors or backend buffers and learns a toy task", async () => {
    const model = smallNet();
    const opt = tf.train.adam(0.01);
    const batchStep = makeBatchStep(model, opt, {
      shape: [12, 12, 1], classes: 3, labelSmoothing: 0, weightDecay: 0, classWeights: null, dropoutRng: createRng(5),
    });
    // Class k: a bright k-th third of the image, plus noise.
    const n = 24;
    const xs = randomData(n * 144, 3).map((v) => v * 0.3);
    const labels = Array.from({ length: n }, (_, i) => i % 3);
    labels.forEach((k, i) => {
      for (let r = 4 * k; r < 4 * k + 4; r++) for (let c = 0; c < 12; c++) xs[i * 144 + r * 12 + c]! += 1;
    });
    const x = Float32Array.from(xs);
    const y = Uint8Array.from(labels);
    const step = async (a: Float32Array, b: Uint8Array) => (await batchStep(a, b, 0.01).read()).loss;
    const first = await step(x, y);
    await step(x, y); // Adam's slots exist from here on
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    let last = first;
    for (let i = 0; i < 25; i++) last = await step(x, y);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    console.log(`toy task loss ${first.toFixed(3)} → ${last.toFixed(3)}`);
    expect(last).toBeLessThan(first * 0.5);
    opt.dispose();
    model.dispose();
  });
});
