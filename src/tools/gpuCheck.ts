/**
 * The prepared GPU check (`npm run gpu:check` builds a bundle around it; on a GPU machine
 * `bash .gpu-check/run.sh` runs it): the adapter, then for vgg-small, vgg-wide and resnet-small
 * the training and inference throughput on webgpu at batch 128 and at the batch that trains
 * fastest, the PyTorch-CUDA twin at the same batches with the ratios, a profile of one vgg-wide
 * step (time in kernels against wall time), an epoch estimate, and a 2-epoch `ferc run` on
 * synthetic faces whose record `ferc eval`s on wasm to the same accuracy.
 *
 * On a software adapter (SwiftShader) the same stages run tiny (batch 8, 3 steps, one epoch of
 * 200 images): a dress rehearsal of the script, not a measurement. Every stage has a time limit
 * and a failure is printed and passed over, so one broken stage cannot cost the rest of a lease.
 *
 * Env: GPU_CHECK_SPECS (default vgg-small,vgg-wide,resnet-small), GPU_CHECK_BATCHES (default
 * 128,256,512), GPU_CHECK_STEPS (20), GPU_CHECK_PYTHON (python3), GPU_CHECK_TWIN=0 (no twin).
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import { adapterPhrase, loadWebGpu, type GpuAdapterSummary } from "../backend/webgpu.js";
import { checkAny } from "../check/any.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const cli = join(root, "dist", "cli", "main.js");
const FER_TRAIN_IMAGES = 26_942;

interface Measured {
  readonly train: number;
  readonly infer: number;
  readonly backend?: string;
  readonly batch?: number;
  readonly device?: string;
}

const list = (v: string | undefined, dflt: string): string[] => (v ?? dflt).split(",").map((s) => s.trim()).filter(Boolean);
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const fmt = (v: number): string => v.toFixed(1);

/** A child process with a time limit; its last JSON line, or the reason there is none. */
function jsonOf(r: SpawnSyncReturns<string>, what: string): Measured | string {
  if (r.error) return `${what}: ${r.error.message}`;
  if (r.status !== 0) return `${what}: exit ${r.status ?? r.signal}: ${(r.stderr || r.stdout).trim().split("\n").slice(-3).join(" | ")}`;
  try {
    return JSON.parse(r.stdout.trim().split("\n").pop()!) as Measured;
  } catch {
    return `${what}: no JSON line in its output`;
  }
}

function run(cmd: string, args: readonly string[], env: Record<string, string>, timeoutS: number): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { encoding: "utf8", env: { ...process.env, ...env }, timeout: timeoutS * 1000, maxBuffer: 64 << 20 });
}

async function adapter(): Promise<GpuAdapterSummary> {
  tf.env().set("PROD", true);
  const a = await loadWebGpu({ allowSoftware: true });
  await tf.setBackend("webgpu");
  say(`adapter: webgpu (${adapterPhrase(a)}): vendor ${a.vendor}, architecture ${a.architecture}, driver "${a.description}"`);
  return a;
}

function measureFerc(spec: string, batch: number, steps: number): Measured | string {
  const r = run(process.execPath, [join(root, "dist", "bench", "measure.js"), spec, String(steps)], { BENCH_BACKEND: "webgpu", BENCH_BATCH: String(batch) }, 300);
  return jsonOf(r, `ferc ${spec} batch ${batch}`);
}

function measureTwin(irFile: string, batch: number, steps: number, python: string): Measured | string {
  const r = run(python, [join(root, "src", "bench", "torch_twin.py"), irFile, String(batch), String(cpus().length), String(steps), "cuda"], {}, 300);
  return jsonOf(r, `pytorch twin batch ${batch}`);
}

/** Throughput per spec at each batch, the twin at 128 and the fastest batch, and the ratios. */
function benchmarks(specs: readonly string[], batches: readonly number[], steps: number, twin: boolean, tmp: string): Map<string, Measured> {
  const best = new Map<string, Measured>();
  const python = process.env["GPU_CHECK_PYTHON"] ?? "python3";
  for (const name of specs) {
    const file = join(root, "specs", `${name}.fer`);
    const results: Measured[] = [];
    for (const b of batches) {
      const m = measureFerc(file, b, steps);
      if (typeof m === "string") {
        say(`bench ${name}: batch ${b} failed (${m})`);
        continue;
      }
      results.push({ ...m, batch: b });
      say(`bench ${name}: train ${fmt(m.train)} img/s, infer ${fmt(m.infer)} img/s (${m.backend}, batch ${b})`);
    }
    if (results.length === 0) continue;
    const fastest = results.reduce((a, r) => (r.train > a.train ? r : a));
    best.set(name, fastest);
    say(`fastest ${name}: batch ${fastest.batch} trains ${fmt(fastest.train)} img/s`);
    if (!twin) continue;
    const checked = checkAny(readFileSync(file, "utf8"), file);
    if (!checked.spec) continue;
    const irFile = join(tmp, `${name}.ir.json`);
    writeFileSync(irFile, JSON.stringify(checked.spec));
    for (const r of [...new Map([results[0]!, fastest].map((x) => [x.batch, x])).values()]) {
      const t = measureTwin(irFile, r.batch!, steps, python);
      if (typeof t === "string") {
        say(`twin  ${name}: ${t}`);
        continue;
      }
      say(`twin  ${name}: train ${fmt(t.train)} img/s, infer ${fmt(t.infer)} img/s (pytorch ${t.device ?? "cuda"}, batch ${r.batch})`);
      say(`ratio ${name}: train ${(r.train / t.train).toFixed(2)}, infer ${(r.infer / t.infer).toFixed(2)} (batch ${r.batch})`);
    }
  }
  return best;
}

function profile(spec: string, batch: number): void {
  const r = run(process.execPath, [join(root, "dist", "bench", "profile.js"), join(root, "specs", `${spec}.fer`), "--batch", String(batch), "--steps", "10"], { BENCH_BACKEND: "webgpu" }, 300);
  const lines = (r.stdout || "").trim().split("\n");
  if (r.status !== 0) {
    say(`profile ${spec}: failed (${(r.stderr || "").trim().split("\n").slice(-2).join(" | ")})`);
    return;
  }
  // The header, the 12 costliest kernels and the wall time.
  for (const l of [...lines.slice(0, 13), ...lines.filter((x) => x.startsWith("wall"))]) say(`profile ${l}`);
}

/** A short real run on webgpu, then its record evaluated on wasm: the same test accuracy. */
function runAndEval(args: readonly string[], timeoutS: number): void {
  const runs = mkdtempSync(join(tmpdir(), "ferc-gpu-check-"));
  try {
    const t0 = Date.now();
    const r = run(process.execPath, [cli, "run", ...args, "--backend", "webgpu", "--plain", "--runs-dir", runs], {}, timeoutS);
    for (const l of (r.stdout || "").trim().split("\n")) if (/^(ferc run|data:|epoch|test:|completed|expect)/.test(l)) say(`run   ${l}`);
    if (r.status !== 0 && r.status !== 1) {
      say(`run   failed: exit ${r.status ?? r.signal}: ${(r.stderr || "").trim().split("\n").slice(-3).join(" | ")}`);
      return;
    }
    say(`run   wall ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const dir = join(runs, readdirSync(runs)[0]!);
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as { test?: { acc: number; n: number } };
    const ev = jsonOf(run(process.execPath, [cli, "eval", dir, "--backend", "wasm", "--json"], {}, 600), "eval on wasm");
    if (typeof ev === "string" || !report.test) {
      say(`eval  failed: ${typeof ev === "string" ? ev : "the run has no test result"}`);
      return;
    }
    const e = ev as unknown as { acc: number; n: number };
    const images = Math.round(Math.abs(e.acc - report.test.acc) * e.n);
    say(`eval  webgpu run ${(report.test.acc * 100).toFixed(2)}%, wasm eval ${(e.acc * 100).toFixed(2)}% of ${e.n}: ${images} image${images === 1 ? "" : "s"} apart (${images <= 1 ? "agree" : "DISAGREE"})`);
  } finally {
    rmSync(runs, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const t0 = Date.now();
  say(`gpu-check: node ${process.version}, ${cpus().length} cpus`);
  const a = await adapter();
  const tiny = a.software;
  if (tiny) say("gpu-check: software adapter: a tiny dress rehearsal (batch 8, 3 steps), not a measurement");
  const specs = list(process.env["GPU_CHECK_SPECS"], "vgg-small,vgg-wide,resnet-small");
  const batches = tiny ? [8] : list(process.env["GPU_CHECK_BATCHES"], "128,256,512").map(Number);
  const steps = tiny ? 3 : Number(process.env["GPU_CHECK_STEPS"] ?? 20);
  const twin = process.env["GPU_CHECK_TWIN"] !== "0" && !tiny;
  const tmp = mkdtempSync(join(tmpdir(), "ferc-gpu-check-ir-"));
  try {
    const best = benchmarks(specs, batches, steps, twin, tmp);
    const wide = best.get("vgg-wide");
    if (wide) {
      say(`estimate vgg-wide: one FER2013 epoch (${FER_TRAIN_IMAGES.toLocaleString("en-US")} images) in ${(FER_TRAIN_IMAGES / wide.train).toFixed(1)} s of steps at batch ${wide.batch} (data assembly and validation not included)`);
      profile("vgg-wide", tiny ? 8 : wide.batch!);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  runAndEval(["specs/demo.fer", "--epochs", tiny ? "1" : "2", ...(tiny ? ["--limit", "200"] : [])].map((x) => (x.startsWith("specs/") ? join(root, x) : x)), tiny ? 1800 : 300);
  if (!tiny) {
    // An end-to-end epoch of vgg-wide as `ferc run` trains it (augmentation, crops, batches
    // assembled on the CPU), on synthetic faces: FER2013 does not travel to the GPU machine.
    runAndEval([join(root, "specs", "vgg-wide.fer"), "--data", "synthetic", "--augment", "--epochs", "1"], 300);
  }
  say(`gpu-check: done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

await main();
