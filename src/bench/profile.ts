/**
 * `node dist/bench/profile.js SPEC [--batch N] [--steps N]`: where one training step of a spec's
 * model goes, kernel by kernel (tf.profile on the default backend). Prints kernels sorted by total
 * time with call counts, then the wall time of an unprofiled step.
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { readFileSync } from "node:fs";
import { checkAny } from "../check/any.js";
import { applyTfFlags } from "./flags.js";
import { modelBuilder } from "../compile/index.js";
import { selectBackend } from "../backend/select.js";
import { createOptimizer } from "../train/optimizer.js";
import { makeBatchStep } from "../train/step.js";
import { createRng } from "../util/rng.js";

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith("--")) ?? "specs/vgg-small.fer";
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};

async function main(): Promise<void> {
  tf.env().set("PROD", true);
  const choice = await selectBackend(process.env["BENCH_BACKEND"]);
  // After the backend is loaded: its package registers the flags it reads.
  const flags = applyTfFlags();
  const checked = checkAny(readFileSync(file, "utf8"), file);
  if (!checked.spec) throw new Error(`${file}: does not check`);
  const spec = checked.spec;
  const batch = opt("batch", spec.train.batch);
  // As ferc run builds it: the layers prepared for the backend (fused ops on wasm), then compiled.
  const model = (await modelBuilder(tfl, choice.name))(spec);
  const optimizer = createOptimizer(spec.train.optimizer);
  const [h, w, c] = spec.dataset.input;
  const step = makeBatchStep(model, optimizer, {
    shape: [h, w, c], classes: spec.dataset.classes.length, labelSmoothing: spec.train.labelSmoothing,
    weightDecay: spec.train.weightDecay, classWeights: null, dropoutRng: createRng(1),
  });
  const xs = new Float32Array(batch * h * w * c).map(() => Math.random() * 2 - 1);
  const labels = Uint8Array.from({ length: batch }, (_, i) => i % spec.dataset.classes.length);
  for (let i = 0; i < 2; i++) await step(xs, labels, 1e-3).read();
  const info = await tf.profile(async () => { await step(xs, labels, 1e-3).read(); });
  const by = new Map<string, { ms: number; n: number }>();
  for (const k of info.kernels) {
    const e = by.get(k.name) ?? { ms: 0, n: 0 };
    e.ms += Number(k.kernelTimeMs) || 0;
    e.n++;
    by.set(k.name, e);
  }
  const rows = [...by.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((s, [, e]) => s + e.ms, 0);
  process.stdout.write(`${file}: backend ${choice.name}${flags ? ` (${flags})` : ""}, batch ${batch}, ${info.kernels.length} kernel calls, ${total.toFixed(0)} ms in kernels\n`);
  for (const [name, e] of rows) process.stdout.write(`  ${name.padEnd(28)} ${e.ms.toFixed(1).padStart(8)} ms ${String(e.n).padStart(5)} calls\n`);
  // As the trainer runs steps: each step's outcome read while the next one computes.
  const ms: number[] = [];
  let pending = step(xs, labels, 1e-3);
  let last = performance.now();
  for (let i = 0; i < opt("steps", 5); i++) {
    const next = step(xs, labels, 1e-3);
    await pending.read();
    const t = performance.now();
    ms.push(t - last);
    last = t;
    pending = next;
  }
  await pending.read();
  ms.sort((a, b) => a - b);
  process.stdout.write(`wall per step: median ${ms[Math.floor(ms.length / 2)]!.toFixed(0)} ms (${((batch * 1000) / ms[Math.floor(ms.length / 2)]!).toFixed(0)} img/s)\n`);
}

await main();
