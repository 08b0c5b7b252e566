/**
 * One benchmark measurement, run as its own process by bench/train.ts:
 * `node dist/bench/measure.js SPEC STEPS` compiles SPEC with ferc's compile path, selects the
 * default backend as `ferc run` does (BENCH_BACKEND names one), times the trainer's batch step
 * (src/train/step.ts: forward, loss, gradients, optimizer update, read-back of loss and accuracy)
 * and batched inference, and prints one JSON line {backend, threads, batch, train, infer, rssMiB}
 * (medians after warm-up). Steps are timed as the trainer runs them: each step's outcome is read
 * while the next one computes, and a step's time is the interval between two reads, so a GPU's
 * queue is measured as it is used. BENCH_BATCH overrides the spec's batch size.
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { checkAny } from "../check/any.js";
import { applyTfFlags } from "./flags.js";
import { modelBuilder } from "../compile/index.js";
import { selectBackend } from "../backend/select.js";
import { nativeKernels, nativeThreads } from "../backend/native.js";
import { adapterPhrase, webGpuAdapter } from "../backend/webgpu.js";
import { createOptimizer } from "../train/optimizer.js";
import { makeBatchStep } from "../train/step.js";
import { predictProbabilities } from "../train/evaluate.js";
import { createRng } from "../util/rng.js";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const [file, stepsArg] = process.argv.slice(2);
  if (!file) throw new Error("usage: measure.js SPEC [STEPS]");
  const steps = Math.max(3, Number(stepsArg ?? 7));
  tf.env().set("PROD", true);
  const choice = await selectBackend(process.env["BENCH_BACKEND"]);
  // After the backend is loaded: its package registers the flags it reads.
  const flags = applyTfFlags();
  const checked = checkAny(readFileSync(file, "utf8"), file);
  if (!checked.spec) throw new Error(`${file}: does not check`);
  const spec = checked.spec;
  const batch = Number(process.env["BENCH_BATCH"] ?? 0) || spec.train.batch;
  const [h, w, c] = spec.dataset.input;
  const k = spec.dataset.classes.length;
  // As ferc run builds it: the layers prepared for the backend (fused ops on wasm), then compiled.
  const model = (await modelBuilder(tfl, choice.name))(spec);
  const optimizer = createOptimizer(spec.train.optimizer);
  const step = makeBatchStep(model, optimizer, {
    shape: [h, w, c], classes: k, labelSmoothing: spec.train.labelSmoothing,
    weightDecay: spec.train.weightDecay, classWeights: null, dropoutRng: createRng(spec.train.seed),
  });
  const rng = createRng(1);
  const xs = Float32Array.from({ length: batch * h * w * c }, () => rng.next() * 2 - 1);
  const labels = Uint8Array.from({ length: batch }, (_, i) => i % k);
  let rss = 0;
  const sample = () => (rss = Math.max(rss, process.memoryUsage().rss));
  const lr = spec.train.optimizer.lr;
  // Two warm-up steps: the first compiles kernels (shaders on a GPU) and creates the optimizer's slots.
  for (let i = 0; i < 2; i++) await step(xs, labels, lr).read();
  const trainMs: number[] = [];
  let pending = step(xs, labels, lr);
  let last = performance.now();
  for (let i = 0; i < steps; i++) {
    const next = step(xs, labels, lr);
    await pending.read();
    const t = performance.now();
    trainMs.push(t - last);
    last = t;
    pending = next;
    sample();
  }
  await pending.read();
  const inferMs: number[] = [];
  for (let i = 0; i <= steps; i++) {
    const t0 = performance.now();
    await predictProbabilities(model, xs, batch, [h, w, c], batch);
    if (i > 0) inferMs.push(performance.now() - t0);
    sample();
  }
  const native = choice.name === "wasm" ? nativeKernels() : null;
  const threads = native ? nativeThreads() || native.defaultThreads() : choice.name === "wasm" ? 1 : cpus().length;
  const gpu = choice.name === "webgpu" ? webGpuAdapter() : null;
  const base = native ? `${choice.name} + native ${native.isa()}` : choice.name === "wasm" ? "wasm portable" : gpu ? `webgpu ${adapterPhrase(gpu)}` : choice.name;
  const backend = flags ? `${base}, ${flags}` : base;
  process.stdout.write(
    JSON.stringify({
      backend, threads, batch, rssMiB: rss / 2 ** 20,
      train: (batch * 1000) / median(trainMs), infer: (batch * 1000) / median(inferMs),
    }) + "\n",
  );
}

await main();
