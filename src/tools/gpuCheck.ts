/**
 * The prepared GPU check (`npm run gpu:check` builds a bundle around it; on a GPU machine
 * `bash .gpu-check/run.sh` runs it): the adapter, then for vgg-small, vgg-wide and resnet-small
 * the training and inference throughput on webgpu at batch 128 and at the batch that trains
 * fastest, the PyTorch-CUDA twin at the same batches with the ratios, a profile of one vgg-wide
 * step (time in kernels against wall time), an epoch estimate, and a 2-epoch `ferc run` on
 * synthetic faces whose record `ferc eval`s on wasm to the same accuracy.
 *
 * On a software adapter (SwiftShader) the same stages run tiny (demo and vgg-small at batch 8, 3
 * steps, demo profiled, one epoch of 200 images): a dress rehearsal of the script, not a measurement. Every stage has a time limit
 * and a failure is printed and passed over, so one broken stage cannot cost the rest of a lease.
 *
 * Env: GPU_CHECK_SPECS (default vgg-small,vgg-wide,resnet-small; a rehearsal: demo,vgg-small), GPU_CHECK_BATCHES (default
 * 128,256,512,1024), GPU_CHECK_STEPS (20), GPU_CHECK_PYTHON (python3), GPU_CHECK_TWIN=0 (no twin),
 * GPU_CHECK_TWIN_DEVICE (cuda), GPU_CHECK_FOCUS (the spec profiled and run end to end: vgg-wide; a rehearsal: demo),
 * GPU_CHECK_RUN_ARGS (extra `ferc run` flags), GPU_CHECK_FULL=1 (every stage on a software adapter).
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

/**
 * A child process with a time limit; its last JSON line, or the reason there is none. `okCodes`:
 * exit codes that still carry a result (`ferc eval` exits 1 when the spec's expectation fails).
 */
function jsonOf(r: SpawnSyncReturns<string>, what: string, okCodes: readonly number[] = [0]): Measured | string {
  if (r.error) return `${what}: ${r.error.message}`;
  if (!okCodes.includes(r.status ?? -1)) return `${what}: exit ${r.status ?? r.signal}: ${(r.stderr || r.stdout).trim().split("\n").slice(-3).join(" | ")}`;
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

function measureFerc(spec: string, batch: number, steps: number, flags = ""): Measured | string {
  const r = run(process.execPath, [join(root, "dist", "bench", "measure.js"), spec, String(steps)], { BENCH_BACKEND: "webgpu", BENCH_BATCH: String(batch), BENCH_TF_FLAGS: flags }, 300);
  return jsonOf(r, `ferc ${spec} batch ${batch}`);
}

function measureTwin(irFile: string, batch: number, steps: number, python: string, device: string): Measured | string {
  const r = run(python, [join(root, "src", "bench", "torch_twin.py"), irFile, String(batch), String(cpus().length), String(steps), device], {}, 300);
  return jsonOf(r, `pytorch twin batch ${batch}`);
}

/** Throughput per spec at each batch, the twin at 128 and the fastest batch, and the ratios. */
function benchmarks(specs: readonly string[], batches: readonly number[], steps: number, twinDevice: string | null, tmp: string): Map<string, Measured> {
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
    if (twinDevice === null) continue;
    const checked = checkAny(readFileSync(file, "utf8"), file);
    if (!checked.spec) continue;
    const irFile = join(tmp, `${name}.ir.json`);
    writeFileSync(irFile, JSON.stringify(checked.spec));
    for (const r of [...new Map([results[0]!, fastest].map((x) => [x.batch, x])).values()]) {
      const t = measureTwin(irFile, r.batch!, steps, python, twinDevice);
      if (typeof t === "string") {
        say(`twin  ${name}: ${t}`);
        continue;
      }
      say(`twin  ${name}: train ${fmt(t.train)} img/s, infer ${fmt(t.infer)} img/s (pytorch ${t.device ?? twinDevice}, batch ${r.batch})`);
      say(`ratio ${name}: train ${(r.train / t.train).toFixed(2)}, infer ${(r.infer / t.infer).toFixed(2)} (batch ${r.batch})`);
    }
  }
  return best;
}

/**
 * tfjs-webgpu's levers that need no code change, on one spec at its fastest batch: how many
 * dispatches it records before submitting a command buffer (default 15).
 */
function levers(spec: string, batch: number, steps: number, baseline: number): void {
  for (const flags of ["WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE=60", "WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE=250"]) {
    const m = measureFerc(join(root, "specs", `${spec}.fer`), batch, steps, flags);
    if (typeof m === "string") say(`lever ${spec}: ${flags}: failed (${m})`);
    else say(`lever ${spec}: ${flags}: train ${fmt(m.train)} img/s (${(m.train / baseline).toFixed(2)}x the default), infer ${fmt(m.infer)} img/s (batch ${batch})`);
  }
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
    const id = readdirSync(runs)[0];
    if (id === undefined || !existsSync(join(runs, id, "report.json"))) {
      say(`run   failed: no record (exit ${r.status ?? r.signal}): ${(r.stderr || r.stdout || "").trim().split("\n").slice(-3).join(" | ")}`);
      return;
    }
    const dir = join(runs, id);
    const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8")) as { test?: { acc: number; n: number } };
    const ev = jsonOf(run(process.execPath, [cli, "eval", dir, "--backend", "wasm", "--json"], {}, 600), "eval on wasm", [0, 1]);
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

/** What to run: the full check on a hardware adapter, a tiny rehearsal on a software one. */
interface Plan {
  readonly tiny: boolean;
  readonly specs: readonly string[];
  readonly batches: readonly number[];
  readonly steps: number;
  readonly twinDevice: string | null;
  /** The spec profiled, tried with levers and run end to end. */
  readonly focus: string;
  /** Extra `ferc run` arguments for the runs (a rehearsal limits their images). */
  readonly runArgs: readonly string[];
}

function plan(software: boolean): Plan {
  const env = process.env;
  // GPU_CHECK_FULL=1 runs every stage on a software adapter too (rehearsing the script).
  const tiny = software && env["GPU_CHECK_FULL"] !== "1";
  return {
    tiny,
    // SwiftShader takes minutes for one vgg-wide step: a rehearsal benches the two smallest specs.
    specs: list(env["GPU_CHECK_SPECS"], tiny ? "demo,vgg-small" : "vgg-small,vgg-wide,resnet-small"),
    batches: tiny ? [8] : list(env["GPU_CHECK_BATCHES"], "128,256,512,1024").map(Number),
    steps: tiny ? 3 : Number(env["GPU_CHECK_STEPS"] ?? 20),
    twinDevice: tiny || env["GPU_CHECK_TWIN"] === "0" ? null : (env["GPU_CHECK_TWIN_DEVICE"] ?? "cuda"),
    focus: env["GPU_CHECK_FOCUS"] ?? (tiny ? "demo" : "vgg-wide"),
    runArgs: tiny ? ["--limit", "200"] : list(env["GPU_CHECK_RUN_ARGS"], "").flatMap((a) => a.split(" ")),
  };
}

async function main(): Promise<void> {
  const t0 = Date.now();
  say(`gpu-check: node ${process.version}, ${cpus().length} cpus`);
  const a = await adapter();
  const p = plan(a.software);
  if (p.tiny) say("gpu-check: software adapter: a tiny dress rehearsal (batch 8, 3 steps), not a measurement");
  const tmp = mkdtempSync(join(tmpdir(), "ferc-gpu-check-ir-"));
  try {
    const best = benchmarks(p.specs, p.batches, p.steps, p.twinDevice, tmp);
    const focus = best.get(p.focus);
    if (focus) {
      say(`estimate ${p.focus}: one FER2013 epoch (${FER_TRAIN_IMAGES.toLocaleString("en-US")} images) in ${(FER_TRAIN_IMAGES / focus.train).toFixed(1)} s of steps at batch ${focus.batch} (data assembly and validation not included)`);
      profile(p.focus, focus.batch!);
      if (!p.tiny) levers(p.focus, focus.batch!, p.steps, focus.train);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const spec = (name: string): string => join(root, "specs", `${name}.fer`);
  runAndEval([spec("demo"), "--epochs", p.tiny ? "1" : "2", ...p.runArgs], p.tiny ? 1800 : 300);
  if (!p.tiny) {
    // An end-to-end epoch as `ferc run` trains it (augmentation, crops, batches assembled on the
    // CPU), on synthetic faces: FER2013 does not travel to the GPU machine.
    const augment = /^\s*augment\s*\{/m.test(readFileSync(spec(p.focus), "utf8")) ? ["--augment"] : [];
    runAndEval([spec(p.focus), "--data", "synthetic", ...augment, "--epochs", "1", ...p.runArgs], 300);
  }
  say(`gpu-check: done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

await main();
