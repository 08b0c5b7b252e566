/**
 * Backend selection, kernel coverage reporting, and a whole-model training gradient on wasm
 * against the cpu backend.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import type * as tflTypes from "@tensorflow/tfjs-layers";
import { randomData, setupBackends, tf } from "./compare.js";
import { describeBackends, selectBackend } from "../../src/backend/select.js";
import { missingTrainingKernels, trainingKernelNames } from "../../src/train/kernels.js";
import { weightedCrossEntropy } from "../../src/train/loss.js";
import { installFusedBatchNorm } from "../../src/backend/fusedBatchNorm.js";
import { installFusedConv2D } from "../../src/backend/fusedConv.js";
import { readFileSync } from "node:fs";
import { checkAny } from "../../src/check/any.js";
import { compileModel } from "../../src/compile/tfjs.js";

// Same CJS copy the rest of the backend tests drive (see compare.ts).
const tfl = createRequire(import.meta.url)("@tensorflow/tfjs-layers") as typeof tflTypes;

beforeAll(async () => {
  await setupBackends();
});

describe("selectBackend", () => {
  it("auto-selects wasm when tfjs-node is absent and no hardware GPU exists, recording what it tried", async () => {
    const c = await selectBackend();
    expect(c.name).toBe("wasm");
    expect(c.tried.map((t) => t.name)).toEqual(["tfjs-node-gpu", "webgpu", "tfjs-node"]);
    // A software adapter (SwiftShader on this machine, when chromium is installed) is never auto-selected.
    expect(c.tried.find((t) => t.name === "webgpu")!.error).toMatch(/no GPU|software adapter|not installed/);
    expect(tf.getBackend()).toBe("wasm");
  });
  it("forces a requested backend", async () => {
    expect((await selectBackend("cpu")).name).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    await selectBackend("wasm");
  });
  it("lists available backends when the requested one cannot load", async () => {
    await expect(selectBackend("tfjs-node")).rejects.toThrow(/available: (webgpu, )?wasm, cpu/);
    await expect(selectBackend("nope")).rejects.toThrow(/unknown backend/);
    await selectBackend("wasm");
  });
  it("describes every known backend", async () => {
    const d = await describeBackends();
    expect(d.map((b) => b.name)).toEqual(["tfjs-node-gpu", "webgpu", "tfjs-node", "wasm", "cpu"]);
    expect(d.filter((b) => b.available).map((b) => b.name)).toEqual(expect.arrayContaining(["wasm", "cpu"]));
    expect(d.find((b) => b.name === "tfjs-node")!.available).toBe(false);
    // Without a GPU (CI, this machine) webgpu is available only through a software adapter, and says so.
    const gpu = d.find((b) => b.name === "webgpu")!;
    if (gpu.available) console.log(`webgpu: ${gpu.detail}`);
    if (gpu.available && !/, (Vulkan|Metal|D3D12)$/.test(gpu.detail)) expect(gpu.detail).toMatch(/software \(only with --backend webgpu\)$/);
  });
});

describe("training kernel coverage", () => {
  it("vgg-small's training step needs only kernels wasm (with ferc's) and cpu have", async () => {
    const spec = checkAny(readFileSync("specs/vgg-small.fer", "utf8"), "specs/vgg-small.fer").spec!;
    const names = await trainingKernelNames(compileModel(spec, tfl));
    expect(names).toContain("Conv2DBackpropFilter");
    expect(names).toContain("MaxPoolGrad");
    expect(names.some((n) => n.endsWith("__op"))).toBe(false);
    expect(missingTrainingKernels("wasm", names)).toEqual([]);
    expect(missingTrainingKernels("cpu", names)).toEqual([]);
    expect(missingTrainingKernels("wasm", ["NoSuchKernel", "Conv2D"])).toEqual(["NoSuchKernel"]);
  }, 30_000);
});

describe("whole-model gradient on wasm vs cpu", () => {
  it("conv/BN/maxpool/dense model: loss, weight gradients and BN moving stats match", async () => {
    // wasm takes ferc's fused batch norm and conv+bias+relu (patched into this tfjs-layers copy);
    // cpu keeps tfjs-layers' own code.
    installFusedBatchNorm(tfl);
    installFusedConv2D(tfl);
    await tf.setBackend("cpu");
    const m = tfl.sequential();
    m.add(tfl.layers.conv2d({ inputShape: [13, 13, 2], filters: 4, kernelSize: 3, activation: "relu" }));
    m.add(tfl.layers.batchNormalization());
    m.add(tfl.layers.conv2d({ filters: 6, kernelSize: 3, activation: "relu", padding: "same" }));
    m.add(tfl.layers.batchNormalization());
    // The residual layout: conv without bias (plain conv2d on wasm), batch norm, then relu.
    m.add(tfl.layers.conv2d({ filters: 8, kernelSize: 3, useBias: false, padding: "same" }));
    m.add(tfl.layers.batchNormalization());
    m.add(tfl.layers.activation({ activation: "relu" }));
    m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    m.add(tfl.layers.flatten());
    m.add(tfl.layers.dense({ units: 5, activation: "softmax" }));
    const xv = randomData(3 * 13 * 13 * 2, 5);
    const yv = new Float32Array(15);
    [1, 4, 2].forEach((c, i) => (yv[i * 5 + c] = 1));
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const vars = m.trainableWeights.map((w) => w.read() as import("@tensorflow/tfjs-core").Variable);
      const x = tf.tensor4d(xv, [3, 13, 13, 2]);
      const y = tf.tensor2d(yv, [3, 5]);
      const { value, grads } = tf.variableGrads(
        () => weightedCrossEntropy(y, m.apply(x, { training: true }) as import("@tensorflow/tfjs-core").Tensor, null),
        vars,
      );
      // Moving mean / variance after this one training-mode forward pass.
      const moving = m.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()));
      const out = [value.dataSync()[0]!, ...vars.map((v) => Array.from(grads[v.name]!.dataSync())), ...moving] as const;
      tf.dispose([x, y, value, ...Object.values(grads)]);
      return out;
    };
    const snapshot = m.nonTrainableWeights.map((w) => w.read().dataSync().slice());
    const reset = () => m.nonTrainableWeights.forEach((w, i) => w.write(tf.tensor(snapshot[i]!, w.shape as number[])));
    const [lossCpu, ...gCpu] = await run("cpu");
    reset();
    let wasmOut: Awaited<ReturnType<typeof run>> | undefined;
    const profile = await tf.profile(async () => {
      wasmOut = await run("wasm");
    });
    expect(profile.kernelNames).toContain("FercBatchNormTrain");
    expect(profile.kernelNames).toContain("FercBatchNormTrainGrad");
    expect(profile.kernelNames).toContain("FercConv2DBiasRelu");
    expect(profile.kernelNames).toContain("FercReluBiasGrad");
    const [lossWasm, ...gWasm] = wasmOut!;
    expect(Math.abs(lossCpu - lossWasm)).toBeLessThan(1e-5);
    let worst = 0;
    gCpu.forEach((g, i) => g.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - gWasm[i]![j]!)))));
    console.log(`whole-model gradient and moving stats: max abs err ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-4);
    m.dispose();
  });
});
