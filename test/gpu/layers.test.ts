/**
 * Every layer kind on the webgpu backend against the cpu backend: the training-mode loss, the
 * gradient of every trainable weight, batch-norm moving statistics and the inference-mode output,
 * each from identical weights and data; then Adam steps (ferc's optimizer and step) on both.
 * Runs on any adapter; without a GPU (CI) on SwiftShader, a software GPU that Debian's chromium
 * package ships. Skipped, saying why, when no adapter exists. Errors are printed; the bound is
 * 1e-4 × max(1, |reference|) (float32 sums in a different order, not a different algorithm).
 */
import { afterAll, describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import type * as tflTypes from "@tensorflow/tfjs-layers";
import type { Tensor, Variable } from "@tensorflow/tfjs-core";
import { tf, randomData } from "../backend/compare.js";
import { check } from "../../src/index.js";
import { compileModel } from "../../src/compile/tfjs.js";
import { layerKindNames } from "../../src/layers/registry.js";
import { weightedCrossEntropy } from "../../src/train/loss.js";
import { withSeededRandom } from "../../src/train/seeded.js";
import { createOptimizer } from "../../src/train/optimizer.js";
import { makeBatchStep } from "../../src/train/step.js";
import { restoreWeights, snapshotWeights, type WeightSnapshot } from "../../src/train/weights.js";
import { createRng } from "../../src/util/rng.js";
import { webGpuUnavailable } from "./adapter.js";

const tfl = createRequire(import.meta.url)("@tensorflow/tfjs-layers") as typeof tflTypes;
import "@tensorflow/tfjs-backend-cpu";

/**
 * One small model per layer kind (8x8x2 inputs, 3 classes): the kind, then what makes a
 * classifier of it. Keyed by the registry, so a new kind without an entry fails the first test.
 */
const MODELS: Readonly<Record<string, readonly string[]>> = {
  activation: ["conv 3x3 4 same", "activation gelu", "flatten", "dense 3 softmax"],
  avgpool: ["avgpool 2x2 stride 1", "flatten", "dense 3 softmax"],
  batchnorm: ["conv 3x3 4 same bias off", "batchnorm momentum 0.9", "activation relu", "flatten", "dense 3 softmax"],
  conv: ["conv 3x3 4 relu same stride 2", "conv 3x3 4 valid", "flatten", "dense 3 softmax"],
  dense: ["flatten", "dense 6 relu", "dense 3 softmax"],
  depthwise: ["depthwise 3x3 multiplier 2 same relu", "flatten", "dense 3 softmax"],
  dropout: ["conv 3x3 4 relu same", "dropout 0.3", "flatten", "dense 3 softmax"],
  flatten: ["flatten", "dense 3 softmax"],
  globalavgpool: ["conv 3x3 4 relu same", "globalavgpool", "dense 3 softmax"],
  maxpool: ["maxpool 3 stride 2 same", "flatten", "dense 3 softmax"],
  residual: ["residual project { conv 3x3 4 stride 2 same; activation relu }", "residual relu { conv 3x3 4 same; conv 3x3 4 same }", "flatten", "dense 3 softmax"],
  separable: ["separable 3x3 4 multiplier 2 elu", "flatten", "dense 3 softmax"],
  spatialdropout: ["conv 3x3 4 relu same", "spatialdropout 0.25", "flatten", "dense 3 softmax"],
};

const N = 4;
const SHAPE = [8, 8, 2] as const;

function specFor(kind: string) {
  const text = `spec gpu_${kind}\ndataset d { input 8x8x2; classes a b c }\nmodel {\n  ${MODELS[kind]!.join("\n  ")}\n}\ntrain { seed 5 }\n`;
  const r = check(text, `${kind}.fer`);
  if (!r.ok || !r.spec) throw new Error(`${kind}: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  return r.spec;
}

/** Max |a − b| relative to max(1, |b|), NaN counting as a failure. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let err = 0;
  let scale = 1;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    err = Number.isNaN(d) ? Infinity : Math.max(err, d);
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return err / scale;
}

interface Outputs {
  loss: number;
  grads: Float32Array[];
  moving: Float32Array[];
  inference: Float32Array;
}

/**
 * On the active backend: loss and gradients in training mode (dropout masks from a seeded
 * stream, so both backends draw the same), the moving statistics after it, and the inference
 * output. Reads asynchronously (webgpu cannot read synchronously in Node).
 */
async function forwardBackward(model: tflTypes.LayersModel, x: Float32Array, labels: Float32Array): Promise<Outputs> {
  const vars = model.trainableWeights.map((w) => w.read() as Variable);
  const xt = tf.tensor4d(x, [N, ...SHAPE]);
  const yt = tf.tensor2d(labels, [N, 3]);
  const { value, grads } = withSeededRandom(createRng(9), () =>
    tf.variableGrads(() => weightedCrossEntropy(yt, model.apply(xt, { training: true }) as Tensor, null), vars),
  );
  const inference = model.apply(xt, { training: false }) as Tensor;
  const out: Outputs = {
    loss: (await value.data())[0]!,
    grads: await Promise.all(vars.map(async (v) => Float32Array.from(await grads[v.name]!.data()))),
    moving: await Promise.all(model.nonTrainableWeights.map(async (w) => Float32Array.from(await w.read().data()))),
    inference: Float32Array.from(await inference.data()),
  };
  tf.dispose([xt, yt, value, inference, ...Object.values(grads)]);
  return out;
}

/** The model's weights as they were built, to start both backends from the same point. */
function hostWeights(model: tflTypes.LayersModel): WeightSnapshot {
  return {
    names: model.weights.map((w) => w.originalName),
    shapes: model.weights.map((w) => w.shape.map((d) => d ?? 0)),
    values: model.weights.map((w) => Float32Array.from(w.read().dataSync())),
  };
}

const unavailable = await webGpuUnavailable();
const errors: string[] = [];

describe.skipIf(unavailable !== "")(`webgpu against cpu${unavailable ? ` (skipped: ${unavailable})` : ""}`, () => {
  afterAll(() => console.log(`webgpu vs cpu, max error relative to max(1, |cpu|):\n  ${errors.join("\n  ")}`));

  it("has a model for every registered layer kind", () => {
    expect(layerKindNames().filter((k) => MODELS[k] === undefined)).toEqual([]);
  });

  for (const kind of Object.keys(MODELS)) {
    it(`${kind}: loss, gradients, moving statistics and inference output`, async () => {
      await tf.setBackend("cpu");
      const model = compileModel(specFor(kind), tfl);
      const start = hostWeights(model);
      const x = randomData(N * SHAPE[0] * SHAPE[1] * SHAPE[2], kind.length * 7 + 1);
      const labels = new Float32Array(N * 3);
      for (let i = 0; i < N; i++) labels[i * 3 + (i % 3)] = 1;
      const cpu = await forwardBackward(model, x, labels);
      // The webgpu pass starts from the same weights (the cpu pass moved batch-norm statistics).
      await tf.setBackend("webgpu");
      restoreWeights(model, start);
      const gpu = await forwardBackward(model, x, labels);
      const gradErr = Math.max(0, ...gpu.grads.map((g, i) => relErr(g, cpu.grads[i]!)));
      const movingErr = Math.max(0, ...gpu.moving.map((m, i) => relErr(m, cpu.moving[i]!)));
      const lossErr = relErr([gpu.loss], [cpu.loss]);
      const inferErr = relErr(gpu.inference, cpu.inference);
      errors.push(`${kind.padEnd(14)} loss ${lossErr.toExponential(1)}  grads ${gradErr.toExponential(1)} (${cpu.grads.length})  moving ${movingErr.toExponential(1)}  inference ${inferErr.toExponential(1)}`);
      expect(cpu.grads.length).toBeGreaterThan(0);
      expect(lossErr).toBeLessThan(1e-4);
      expect(gradErr).toBeLessThan(1e-4);
      expect(movingErr).toBeLessThan(1e-4);
      expect(inferErr).toBeLessThan(1e-4);
      model.dispose();
      await tf.setBackend("cpu");
    });
  }

  it("Adam through ferc's optimizer and step: same losses and weights after 3 steps", async () => {
    await tf.setBackend("cpu");
    const spec = specFor("batchnorm");
    const model = compileModel(spec, tfl);
    const start = hostWeights(model);
    const x = randomData(N * 128, 3);
    const labels = Uint8Array.from([0, 1, 2, 1]);
    const train = async () => {
      const opt = createOptimizer({ kind: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
      const step = makeBatchStep(model, opt, { shape: SHAPE, classes: 3, labelSmoothing: 0.1, weightDecay: 1e-2, classWeights: null, dropoutRng: createRng(2) });
      const losses: number[] = [];
      for (let i = 0; i < 3; i++) losses.push((await step(x, labels, 0.01).read()).loss);
      const after = await snapshotWeights(model);
      opt.dispose();
      return { losses, after };
    };
    const cpu = await train();
    await tf.setBackend("webgpu");
    restoreWeights(model, start);
    const gpu = await train();
    const lossErr = relErr(gpu.losses, cpu.losses);
    const weightErr = Math.max(...gpu.after.values.map((v, i) => relErr(v, cpu.after.values[i]!)));
    errors.push(`adam, 3 steps  losses ${lossErr.toExponential(1)}  weights ${weightErr.toExponential(1)}`);
    expect(cpu.losses[2]).toBeLessThan(cpu.losses[0]!);
    expect(lossErr).toBeLessThan(1e-4);
    expect(weightErr).toBeLessThan(1e-4);
    model.dispose();
    await tf.setBackend("cpu");
  });

  it("a synchronous read on webgpu fails with a message instead of hanging", async () => {
    await tf.setBackend("webgpu");
    const t = tf.add(tf.ones([2]), 1);
    expect(() => t.dataSync()).toThrow(/synchronous tensor read .* webgpu/);
    expect(Array.from(await t.data())).toEqual([2, 2]);
    t.dispose();
    await tf.setBackend("cpu");
  });
});
