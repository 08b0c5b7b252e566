/**
 * Fuzz target: the `.fer` front end (check, format, diff), through the oracle of src/fuzz/oracle.ts.
 * Half the runs are truncations and seeded mutations of the reference specs, the other half the
 * fast-check generators; each distinct failure is shrunk to a small input that fails the same way.
 */
import fc from "fast-check";
import { ARBITRARIES } from "../generators.js";
import { mutants, shrinkText, truncations } from "../mutate.js";
import { examine, timings, type Failure } from "../oracle.js";
import { Findings, peakRssMb, type TargetOptions, type TargetReport } from "../bounds.js";

export async function ferTarget(texts: readonly string[], opts: TargetOptions): Promise<TargetReport> {
  const t0 = performance.now();
  const { runs, seed, timeLimitMs } = opts;
  const findings = new Findings();
  const originals = new Map<string, string | undefined>();
  let tried = 0;
  const record = (f: Failure, original?: string): void => {
    findings.record(f);
    originals.set(f.input, original);
  };

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
    if (round % 20 === 0) opts.onProgress?.(tried, findings.size);
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
    opts.onProgress?.(tried, findings.size);
  }

  // Shrink each distinct failure to a small input that still fails the same way.
  const shape = (f: Failure): string => `${f.property}: ${f.message.split("\n")[0]!.replace(/\d+/g, "N").slice(0, 120)}`;
  for (const f of findings.list()) {
    if (f.input.length > 20_000) continue;
    const original = originals.get(f.input);
    f.input = shrinkText(f.input, (t) => {
      const g = examine(t, original, { timeLimitMs });
      return g !== undefined && shape(g) === shape(f);
    }, 3000);
  }
  findings.slowestMs = timings.slowestMs;
  findings.slowestWhat = `${timings.slowestWhat} on ${timings.slowestInput.length} chars`;
  const report = findings.report("fer", tried, (performance.now() - t0) / 1000);
  return { ...report, peakRssMb: peakRssMb() };
}
