/**
 * The long fuzz campaign: `npm run fuzz -- [--target NAME] [--runs N] [--seed N] [--time-limit MS]
 * [--memory-limit MB]`. Targets: `fer` (the .fer front end), `yaml` (the YAML form), `csv` (the
 * FER2013 CSV reader), `image` (the PNG/JPEG decoder), `record` (the run-record readers), or
 * `all` (the default: each of them, N inputs each). Each target's oracle is in its module
 * (src/fuzz/targets/); all of them bound the time of each call and the process's peak memory.
 * Prints, per target, inputs tried, distinct failures (with an example each) and the slowest call;
 * exit 1 on any failure.
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describeFailure } from "./oracle.js";
import type { TargetOptions, TargetReport } from "./bounds.js";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const num = (name: string, dflt: number): number => {
  const v = arg(name);
  return v === undefined ? dflt : Number(v);
};

const TARGETS = ["fer", "yaml", "csv", "image", "record"] as const;
type Target = (typeof TARGETS)[number];

const chosen = arg("target") ?? "all";
if (chosen !== "all" && !(TARGETS as readonly string[]).includes(chosen)) {
  console.error(`ferc fuzz: --target must be one of ${TARGETS.join(", ")} or all, got ${chosen}`);
  process.exit(2);
}
const targets: Target[] = chosen === "all" ? [...TARGETS] : [chosen as Target];

const dirs = ["specs", "test/corpus/valid"].filter((d) => existsSync(d));
const texts = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith(".fer")).map((f) => readFileSync(join(d, f), "utf8")));
if (texts.length === 0) {
  console.error("ferc fuzz: run from the repository root (needs specs/)");
  process.exit(2);
}

const base = { runs: num("runs", 20_000), seed: num("seed", 1), timeLimitMs: num("time-limit", 2000), memoryLimitMb: num("memory-limit", 1024) };

async function run(t: Target, opts: TargetOptions): Promise<TargetReport> {
  switch (t) {
    case "fer":
      return (await import("./targets/fer.js")).ferTarget(texts, opts);
    case "yaml":
      return (await import("./targets/yaml.js")).yamlTarget(texts, opts);
    case "csv":
      return (await import("./targets/csv.js")).csvTarget(opts);
    case "image":
      return (await import("./targets/image.js")).imageTarget(opts);
    case "record":
      return (await import("./targets/record.js")).recordTarget(opts);
  }
}

let failed = 0;
for (const t of targets) {
  const r = await run(t, { ...base, onProgress: (n, f) => process.stderr.write(`\r${t}: ${n} inputs, ${f} distinct failures`) });
  process.stderr.write("\n");
  console.log(`ferc fuzz ${t}: ${r.inputs} inputs in ${r.seconds.toFixed(1)} s (${(r.inputs / r.seconds).toFixed(0)}/s), seed ${base.seed}; slowest call ${r.slowestWhat} ${r.slowestMs.toFixed(1)} ms; peak memory ${r.peakRssMb.toFixed(0)} MiB`);
  const outcomes = Object.entries(r.outcomes).map(([k, o]) => `${k} ${o.accepted} accepted / ${o.refused} refused`);
  if (outcomes.length > 0) console.log(`outcomes: ${outcomes.join("; ")}`);
  console.log(`failures: ${r.failures.length} distinct (${r.failures.reduce((a, f) => a + f.count, 0)} inputs)`);
  for (const f of r.failures) console.log(`\n(${f.count}x) ${describeFailure(f, 1500)}`);
  failed += r.failures.length;
}
process.exit(failed > 0 ? 1 : 0);
