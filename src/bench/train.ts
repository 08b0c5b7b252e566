/**
 * `npm run bench:train`: training and inference throughput of vgg-small on every backend that
 * loads, with ferc's own training step (the one the trainer runs). Batch 128, Adam, categorical
 * cross-entropy; medians after warm-up. Last line: `train img/s: N (<default backend>)`.
 *
 * Env: BENCH_STEPS (timed steps, default 7), BENCH_BACKENDS (comma list, default all available).
 */
import * as tf from "@tensorflow/tfjs-core";
import { cpus, loadavg } from "node:os";
import "@tensorflow/tfjs-layers";
import { buildVggSmall, INPUT_SHAPE, NUM_CLASSES } from "./vggSmall.js";
import { describeBackends, selectBackend } from "../backend/select.js";
import { makeTrainStep } from "../backend/trainStep.js";

const BATCH = 128;
/** The stock cpu backend needs minutes per batch-128 step; measure it on a small batch instead. */
const CPU_BATCH = 4;
const steps = Math.max(5, Number(process.env["BENCH_STEPS"] ?? 7));

interface Result {
  backend: string;
  batch: number;
  train: number;
  infer: number;
  rssMiB: number;
  tensorMiB: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mib = (b: number) => b / 2 ** 20;

async function bench(backend: string): Promise<Result> {
  await selectBackend(backend);
  const batch = backend === "cpu" ? CPU_BATCH : BATCH;
  const timed = backend === "cpu" ? 3 : steps;
  const model = buildVggSmall();
  const optimizer = tf.train.adam(1e-3);
  const step = makeTrainStep(model, optimizer);
  const x = tf.randomNormal([batch, ...INPUT_SHAPE]);
  const labels = tf.randomUniform([batch], 0, NUM_CLASSES, "int32");
  const y = tf.oneHot(labels, NUM_CLASSES);
  let rss = 0;
  let tensorBytes = 0;
  const sample = () => {
    rss = Math.max(rss, process.memoryUsage().rss);
    tensorBytes = Math.max(tensorBytes, tf.memory().numBytes);
  };
  // Two warm-up steps: the first compiles kernels and creates Adam's slots.
  for (let i = 0; i < 2; i++) step(x, y);
  const trainMs: number[] = [];
  for (let i = 0; i < timed; i++) {
    const t0 = performance.now();
    step(x, y);
    trainMs.push(performance.now() - t0);
    sample();
  }
  const inferMs: number[] = [];
  for (let i = 0; i < timed + 1; i++) {
    const t0 = performance.now();
    tf.tidy(() => (model.predict(x, { batchSize: batch }) as tf.Tensor).dataSync());
    if (i > 0) inferMs.push(performance.now() - t0);
    sample();
  }
  const r: Result = {
    backend,
    batch,
    train: (batch * 1000) / median(trainMs),
    infer: (batch * 1000) / median(inferMs),
    rssMiB: mib(rss),
    tensorMiB: mib(tensorBytes),
  };
  process.stdout.write(
    `${backend.padEnd(14)} batch ${String(batch).padStart(3)}  train ${r.train.toFixed(1).padStart(7)} img/s ` +
      `(median ${median(trainMs).toFixed(0)} ms/step of ${trainMs.map((t) => t.toFixed(0)).join(" ")}; ` +
      `best ${((batch * 1000) / Math.min(...trainMs)).toFixed(0)} img/s)  ` +
      `infer ${r.infer.toFixed(0).padStart(5)} img/s  peak rss ${r.rssMiB.toFixed(0)} MiB, tensors ${r.tensorMiB.toFixed(0)} MiB\n`,
  );
  tf.dispose([x, labels, y]);
  optimizer.dispose();
  model.dispose();
  return r;
}

async function main(): Promise<void> {
  tf.env().set("PROD", true); // silences tfjs' "install tfjs-node" banner; no effect on kernels
  const infos = await describeBackends();
  for (const b of infos) {
    process.stdout.write(`${b.name.padEnd(14)} ${b.available ? "available" : "unavailable"}${b.detail ? `: ${b.detail}` : ""}\n`);
  }
  process.stdout.write(`load average ${loadavg().map((l) => l.toFixed(2)).join(" ")} on ${cpus().length} cpus\n`);
  const wanted = process.env["BENCH_BACKENDS"]?.split(",").map((s) => s.trim());
  const names = infos.filter((b) => b.available && (wanted === undefined || wanted.includes(b.name))).map((b) => b.name);
  const results: Result[] = [];
  for (const name of names) results.push(await bench(name));
  const def = (await selectBackend()).name;
  const r = results.find((x) => x.backend === def) ?? (await bench(def));
  process.stdout.write(`train img/s: ${r.train.toFixed(1)} (${def})\n`);
}

await main();
