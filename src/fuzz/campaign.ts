/**
 * The long fuzz campaign: `npm run fuzz -- --runs 200000 [--seed N] [--time-limit MS]`.
 * Splits the runs between seeded mutations of the reference specs (truncations first) and the
 * fast-check generators; prints inputs tried, failures (shrunk) and time. Exit 1 on a failure.
 */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { ARBITRARIES } from "./generators.js";
import { mutants, shrinkText, truncations } from "./mutate.js";
import { describeFailure, examine, timings, type Failure } from "./oracle.js";

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const runs = arg("runs", 20_000);
const seed = arg("seed", 1);
const timeLimitMs = arg("time-limit", 2000);
const start = performance.now();

const dirs = ["specs", "test/corpus/valid"].filter((d) => existsSync(d));
const texts = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith(".fer")).map((f) => readFileSync(join(d, f), "utf8")));
if (texts.length === 0) {
  console.error("ferc fuzz: run from the repository root (needs specs/)");
  process.exit(2);
}

let tried = 0;
const failures = new Map<string, { -readonly [K in keyof Failure]: Failure[K] } & { count: number; original?: string }>();
const key = (f: Failure) => `${f.property}: ${f.message.split("\n")[0]!.replace(/\d+/g, "N").slice(0, 120)}`;
function record(f: Failure, original?: string): void {
  const k = key(f);
  const seen = failures.get(k);
  if (seen) seen.count++;
  else failures.set(k, { ...f, count: 1, ...(original !== undefined ? { original } : {}) });
}

// Half the runs: truncations and seeded mutations, round-robin over the specs.
const mutationRuns = Math.floor(runs / 2);
for (let i = 0; i < texts.length && tried < mutationRuns; i++) {
  for (const t of truncations(texts[i]!, 100, seed + i)) {
    if (tried >= mutationRuns) break;
    tried++;
    const f = examine(t, texts[i], { timeLimitMs, diff: false });
    if (f) record(f, texts[i]);
  }
}
for (let round = 0; tried < mutationRuns; round++) {
  const i = round % texts.length;
  const batch = mutants(texts[i]!, Math.min(500, mutationRuns - tried), seed * 100_003 + round, texts);
  for (const t of batch) {
    tried++;
    const f = examine(t, texts[i], { timeLimitMs });
    if (f) record(f, texts[i]);
  }
  if (round % 20 === 0) process.stderr.write(`\r${tried} inputs, ${failures.size} distinct failures`);
}

// The other half: the fast-check generators, weighted like the CI test.
const weights: Record<string, number> = { tokenSpec: 0.5, nesting: 0.1, hugeNumbers: 0.2, unicode: 0.195, longLines: 0.005 };
const rest = runs - tried;
for (const [name, arb] of Object.entries(ARBITRARIES)) {
  const n = Math.max(1, Math.floor(rest * (weights[name] ?? 0.1)));
  const result = fc.check(
    fc.property(arb, ({ text, original }) => {
      tried++;
      const f = examine(text, original, { timeLimitMs });
      if (f) throw Object.assign(new Error(f.message), { failure: f, original });
    }),
    { numRuns: n, seed: seed + name.length },
  );
  if (result.failed) {
    const err = result.errorInstance as { failure?: Failure; original?: string } | undefined;
    if (err?.failure) record(err.failure, err.original);
    else record({ property: "fast-check", message: String(result.errorInstance), input: JSON.stringify(result.counterexample) });
  }
  process.stderr.write(`\r${tried} inputs, ${failures.size} distinct failures`);
}
process.stderr.write("\n");

// Shrink each distinct failure to a small input that still fails the same way.
for (const f of failures.values()) {
  if (f.input.length > 20_000) continue;
  const k = key(f);
  f.input = shrinkText(f.input, (t) => {
    const g = examine(t, f.original, { timeLimitMs });
    return g !== undefined && key(g) === k;
  }, 3000);
}

const secs = (performance.now() - start) / 1000;
console.log(`ferc fuzz: ${tried} inputs tried in ${secs.toFixed(1)} s (${(tried / secs).toFixed(0)}/s), seed ${seed}`);
console.log(`slowest call: ${timings.slowestWhat} ${timings.slowestMs.toFixed(1)} ms on ${timings.slowestInput.length} chars`);
console.log(`failures: ${failures.size} distinct (${[...failures.values()].reduce((a, f) => a + f.count, 0)} inputs)`);
for (const f of failures.values()) console.log(`\n(${f.count}x) ${describeFailure(f, 1500)}`);
process.exit(failures.size > 0 ? 1 : 0);
