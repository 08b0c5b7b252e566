/**
 * Mutation robustness: every spec in specs/ and every valid corpus spec, truncated at every token
 * boundary (plus sampled byte offsets) and mutated with seeded byte/token/line edits. For each
 * input checkSource, format and diffSpecs(original, mutated) must not throw, must return
 * well-formed diagnostics within a time bound, and fmt must be idempotent and meaning-preserving
 * (see src/fuzz/oracle.ts). Deterministic: a failure names its spec and seed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeFailure, examine } from "../../src/fuzz/oracle.js";
import { mutants, truncations } from "../../src/fuzz/mutate.js";

const ROOT = join(import.meta.dirname, "..", "..");
const sources = [
  ...readdirSync(join(ROOT, "specs")).filter((f) => f.endsWith(".fer")).map((f) => join(ROOT, "specs", f)),
  ...readdirSync(join(ROOT, "test/corpus/valid")).filter((f) => f.endsWith(".fer")).map((f) => join(ROOT, "test/corpus/valid", f)),
];
const texts = sources.map((f) => [f.slice(ROOT.length + 1), readFileSync(f, "utf8")] as const);
const others = texts.map(([, t]) => t);

const MUTANTS_PER_SPEC = Number(process.env["FERC_FUZZ_MUTANTS"] ?? 60);

describe("mutation robustness", () => {
  it.each(texts)("%s: every truncation", (_name, text) => {
    const failures = [];
    for (const t of truncations(text, 40, 7)) {
      const f = examine(t, text, { diff: false });
      if (f) failures.push(describeFailure(f, 300));
      if (failures.length >= 3) break;
    }
    expect(failures).toEqual([]);
  });

  it.each(texts)("%s: seeded mutations", (name, text) => {
    const seed = [...name].reduce((a, c) => (a * 31 + c.charCodeAt(0)) >>> 0, 17);
    const failures = [];
    for (const [i, t] of mutants(text, MUTANTS_PER_SPEC, seed, others).entries()) {
      const f = examine(t, text);
      if (f) failures.push(`seed ${seed} #${i}: ${describeFailure(f, 300)}`);
      if (failures.length >= 3) break;
    }
    expect(failures).toEqual([]);
  });
});
