/**
 * Fuzz target: the YAML form of a spec (`*.fer.yaml`). Inputs are the YAML forms of the reference
 * specs, mutated as text (the `.fer` mutations plus YAML's own punctuation), and generated YAML
 * trouble: nesting thousands deep, alias chains, huge scalars, tags, several documents.
 * Oracle: checkAny and formatAny never throw and never report an internal error (F0903); every
 * diagnostic is well formed (its span inside the text, its line and column those of its offset);
 * `ok` agrees with the diagnostics; each call within the time bound, the process within memory.
 */
import { checkAny } from "../../check/any.js";
import { hasErrors } from "../../diagnostics.js";
import { formatAny, toYaml } from "../../yaml/index.js";
import { broken, campaign, Findings, type TargetOptions, type TargetReport } from "../bounds.js";
import { mutateOnce, Rng } from "../mutate.js";
import { malformed } from "../oracle.js";

const FILE = "fuzz.fer.yaml";

/** YAML's own trouble, inserted at random places. */
const YAML_INSERTS = [": ", "- ", "? ", "&a ", "*a", "*nope", "!!binary ", "!!str ", "!custom ", "---\n", "...\n", "%YAML 1.2\n", "\t", "[", "]", "{", "}", ",", "|\n", ">-\n", "'", '"', "#", "\n  ", "\n- ", "<<: *a\n", "~", "null", "0x1F", ".inf", "\u0000", "\r", "\ufeff", "\u202e"];

function mutateYaml(text: string, rng: Rng, others: readonly string[]): string {
  if (rng.next() < 0.5) return mutateOnce(text, rng, others);
  const at = rng.int(text.length + 1);
  return text.slice(0, at) + rng.pick(YAML_INSERTS) + text.slice(at);
}

/** Generated YAML that stresses the reader's structure rather than its text. */
function generated(rng: Rng, base: string): string {
  const depth = 1 + rng.int(rng.next() < 0.3 ? 3000 : 80);
  switch (rng.int(6)) {
    case 0:
      return `${base}model: ${"[".repeat(depth)}dropout 0.1${"]".repeat(rng.next() < 0.8 ? depth : rng.int(depth))}\n`;
    case 1:
      return `${base}model:\n${Array.from({ length: Math.min(depth, 1500) }, (_, i) => `${"  ".repeat(i + 1)}- repeat 1:\n`).join("")}`;
    case 2: {
      // Alias chains: each level refers to the one before several times (a "billion laughs").
      const lines = ["a0: &a0 [dropout 0.1, dropout 0.1]"];
      for (let i = 1; i < 2 + rng.int(30); i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 2 + rng.int(8) }, () => `*a${i - 1}`).join(", ")}]`);
      return `${base}${lines.join("\n")}\nmodel: *a${lines.length - 1}\n`;
    }
    case 3:
      return `${base}model:\n  - dense ${"9".repeat(1 + rng.int(50_000))} relu\n  - ${"x".repeat(rng.int(100_000))}\n`;
    case 4:
      return `${base}model: {${Array.from({ length: 1 + rng.int(200) }, (_, i) => `k${i}: ${rng.next() < 0.5 ? "[" : "{"}`).join(", ")}\n`;
    default:
      return Array.from({ length: 1 + rng.int(6) }, () => base).join("---\n");
  }
}

export async function yamlTarget(specTexts: readonly string[], opts: TargetOptions): Promise<TargetReport> {
  const seeds = specTexts.map((t) => toYaml(t).output).filter((y) => y !== "");
  if (seeds.length === 0) throw new Error("yaml target: no spec converts to YAML");
  const rng = new Rng(opts.seed * 7919 + 1);
  const findings = new Findings();
  const base = "spec: fuzz\ndataset d:\n  source: synthetic count 100\n  input: 48x48x1\n  classes: a b c d e f g\ntrain:\n  optimizer: adam\n";
  const next = (): string => {
    if (rng.next() < 0.15) return generated(rng, base);
    let t = rng.pick(seeds);
    const k = 1 + (rng.next() < 0.7 ? 0 : rng.int(4));
    for (let j = 0; j < k; j++) t = mutateYaml(t, rng, seeds);
    return t;
  };
  const examine = async (text: string): Promise<void> => {
    const r = await findings.timed("yaml.check", opts.timeLimitMs, () => checkAny(text, FILE));
    for (const d of r.diagnostics) {
      if (d.code === "F0903") broken("yaml.internal", d.message);
      const bad = malformed(text, d);
      if (bad) broken("yaml.span", bad);
    }
    if (r.ok !== !hasErrors(r.diagnostics)) broken("yaml.ok", `ok=${r.ok} but the diagnostics say otherwise`);
    if (r.ok !== (r.spec !== undefined)) broken("yaml.ok", `ok=${r.ok} but spec is ${r.spec ? "present" : "absent"}`);
    findings.outcome("check", r.ok);
    for (const to of ["yaml", "fer"] as const) {
      const f = await findings.timed(`yaml.fmt-${to}`, opts.timeLimitMs, () => formatAny(text, FILE, to));
      if (typeof f.output !== "string") broken(`yaml.fmt-${to}`, "no output");
      if (hasErrors(f.diagnostics) && f.output !== text) broken(`yaml.fmt-${to}`, "a text with errors must come back unchanged");
    }
  };
  return campaign("yaml", opts, findings, next, examine, (t) => JSON.stringify(t.length > 2000 ? `${t.slice(0, 2000)}… (${t.length} chars)` : t));
}
