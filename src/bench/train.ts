/**
 * `npm run bench:train`: training and inference throughput of every shipped spec, compiled by
 * ferc's own compile path and trained with the trainer's own step (src/train/step.ts), beside a
 * PyTorch twin of the same layers run interleaved in the same minutes (twin, ferc, twin).
 *
 * Per spec it prints
 *   bench <spec>: train N img/s, infer M img/s (<backend>, T threads, batch B, peak rss R MiB)
 *   ratio <spec>: train X, infer Y            (ferc ÷ the mean of the two twin runs)
 * and last `train img/s: N (<backend>)` for vgg-small. Each measurement runs in a fresh process
 * (clean heap, honest peak RSS). Absolute figures on a shared machine swing by 30%: only ratios
 * measured in the same minutes count.
 *
 * Env: BENCH_SPECS (comma list of spec names, default every specs/*.fer), BENCH_STEPS (timed steps,
 * default 7), BENCH_TWIN=0 (skip the PyTorch twin), BENCH_PYTHON (default /usr/bin/python3).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkAny } from "../check/any.js";
import type { SpecIR } from "../ir.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const twinScript = join(root, "src", "bench", "torch_twin.py");
const python = process.env["BENCH_PYTHON"] ?? "/usr/bin/python3";
const steps = Math.max(3, Number(process.env["BENCH_STEPS"] ?? 7));

export interface Measured {
  readonly train: number;
  readonly infer: number;
}
interface FercMeasured extends Measured {
  readonly backend: string;
  readonly threads: number;
  readonly batch: number;
  readonly rssMiB: number;
}

function specFiles(): string[] {
  const dir = join(root, "specs");
  const wanted = process.env["BENCH_SPECS"]?.split(",").map((s) => s.trim()).filter(Boolean);
  const all = readdirSync(dir).filter((f) => f.endsWith(".fer")).map((f) => join(dir, f));
  return wanted ? wanted.map((w) => all.find((f) => basename(f, ".fer") === w) ?? `${w} (not in specs/)`) : all;
}

function loadSpec(file: string): SpecIR {
  const checked = checkAny(readFileSync(file, "utf8"), file);
  if (!checked.spec) throw new Error(`${file}: does not check (run ferc check ${file})`);
  return checked.spec;
}

/** One ferc measurement in a child process (see measure.ts). */
function measureFerc(file: string): FercMeasured {
  const out = execFileSync(process.execPath, [join(root, "dist", "bench", "measure.js"), file, String(steps)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out.trim().split("\n").pop()!) as FercMeasured;
}

function torchAvailable(): string {
  if (process.env["BENCH_TWIN"] === "0") return "skipped (BENCH_TWIN=0)";
  if (!existsSync(twinScript)) return `twin script ${twinScript} missing`;
  const r = spawnSync(python, ["-c", "import torch"], { encoding: "utf8" });
  if (r.error) return `${python} not found`;
  return r.status === 0 ? "" : `${python} -c 'import torch' failed (install Debian's python3-torch: apt-get install python3-torch)`;
}

function measureTwin(irFile: string, batch: number, threads: number): Measured {
  const out = execFileSync(python, [twinScript, irFile, String(batch), String(threads), String(steps)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out.trim().split("\n").pop()!) as Measured;
}

const fmt = (v: number) => v.toFixed(1);

function main(): void {
  process.stdout.write(`load average ${loadavg().map((l) => l.toFixed(2)).join(" ")} on ${cpus().length} cpus; ${steps} timed steps\n`);
  const noTwin = torchAvailable();
  if (noTwin) process.stdout.write(`pytorch twin: ${noTwin}; no ratios\n`);
  const tmp = mkdtempSync(join(tmpdir(), "ferc-bench-"));
  let reference: FercMeasured | undefined;
  try {
    for (const file of specFiles()) {
      if (!existsSync(file)) {
        process.stdout.write(`bench ${file}: skipped\n`);
        continue;
      }
      const name = basename(file, ".fer");
      const spec = loadSpec(file);
      const irFile = join(tmp, `${name}.ir.json`);
      writeFileSync(irFile, JSON.stringify(spec));
      let twins: Measured[] = [];
      let twinError = "";
      const twin = (threads: number) => {
        if (noTwin || twinError) return;
        try {
          twins.push(measureTwin(irFile, spec.train.batch, threads));
        } catch (e) {
          twinError = e instanceof Error ? e.message.split("\n")[0]! : String(e);
        }
      };
      // Interleaved: twin, ferc, twin, all on ferc's thread count (FERC_THREADS, else all cores,
      // the addon's default).
      const threads = Number(process.env["FERC_THREADS"] ?? 0) || cpus().length;
      twin(threads);
      const r = measureFerc(file);
      twin(r.threads);
      if (name === "vgg-small") reference = r;
      process.stdout.write(
        `bench ${name}: train ${fmt(r.train)} img/s, infer ${fmt(r.infer)} img/s ` +
          `(${r.backend}, ${r.threads} threads, batch ${r.batch}, peak rss ${r.rssMiB.toFixed(0)} MiB)\n`,
      );
      if (twinError) process.stdout.write(`ratio ${name}: no twin (${twinError})\n`);
      else if (twins.length > 0) {
        const mean = (k: keyof Measured) => twins.reduce((s, t) => s + t[k], 0) / twins.length;
        process.stdout.write(
          `twin  ${name}: train ${twins.map((t) => fmt(t.train)).join(" / ")} img/s, infer ${twins.map((t) => fmt(t.infer)).join(" / ")} img/s (pytorch, ${r.threads} threads)\n` +
            `ratio ${name}: train ${(r.train / mean("train")).toFixed(2)}, infer ${(r.infer / mean("infer")).toFixed(2)}\n`,
        );
      }
      twins = [];
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (reference) process.stdout.write(`train img/s: ${fmt(reference.train)} (${reference.backend})\n`);
}

main();
