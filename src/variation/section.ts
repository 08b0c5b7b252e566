/**
 * The `sweep { }` section: `vary PATH [v1, v2, ...]` (repeatable), `samples N`, `seed S`.
 * Checked like every other section: its own syntax here, then (in verifySweep) every value is
 * applied to the spec and checked, so an unknown path, a value out of range or a trial that
 * fails `check` is an error with line:col before anything runs.
 */
import { diagnostic, type Diagnostic, type Span } from "../diagnostics.js";
import type { SpecIR, SweepIR } from "../ir.js";
import type { Document, Statement, Value } from "../syntax/ast.js";
import { bindStatement } from "../schema/bind.js";
import { walkSection } from "../schema/walk.js";
import { SWEEP, SWEEP_SIGS } from "../sections/sweep.js";
import { applyVariation } from "./paths.js";
import { buildTrial, gridSize, type TrialCheck } from "./plan.js";
import { valueText, type Variation } from "./values.js";

/** A grid past this size needs `samples`: nobody means to queue a million trials. */
export const MAX_GRID = 10000;
/** Check-time limit for checking every combination (each is one full check). */
export const MAX_CHECKED_COMBINATIONS = 256;

export interface SweepSection {
  readonly variations: readonly Variation[];
  readonly samples?: number;
  readonly seed: number;
  readonly span: Span;
}

export function checkSweepSection(stmt: Statement, ds: Diagnostic[]): SweepSection {
  const variations: Variation[] = [];
  let samples: number | undefined;
  let seed = 0;
  const seen = new Map<string, number>();
  let varyStatements = 0;
  walkSection(SWEEP, stmt.block, {
    vary: (s) => {
      varyStatements++;
      pushVary(s, variations, seen, ds);
    },
    samples: (s) => {
      const b = bindStatement("samples", SWEEP_SIGS.samples, s, ds);
      if (b.complete) samples = b.options["count"] as number;
    },
    seed: (s) => {
      const b = bindStatement("seed", SWEEP_SIGS.seed, s, ds);
      if (b.complete) seed = b.options["value"] as number;
    },
  }, ds);
  // A vary statement that is wrong has its own error; no vary statement at all is this one.
  if (stmt.block && varyStatements === 0) {
    ds.push(diagnostic("F0108", "sweep needs at least one vary statement", stmt.span, "write e.g. `vary train.batch [32, 64]`"));
  }
  return { variations, ...(samples !== undefined ? { samples } : {}), seed, span: stmt.span };
}

/** `vary train.batch [32, 64]` or `vary train.batch = [32, 64]`. */
function pushVary(s: Statement, out: Variation[], seen: Map<string, number>, ds: Diagnostic[]): void {
  const a = s.args[0];
  const pathWord = a?.key ?? (a?.value.kind === "word" ? a.value : undefined);
  const list: Value | undefined = a?.key ? a.value : s.args[1]?.value;
  const extra = a?.key ? s.args[1] : s.args[2];
  if (!pathWord || !list) {
    ds.push(diagnostic("F0108", "vary needs a setting and a list of values: vary train.batch [32, 64]", s.span));
    return;
  }
  if (list.kind !== "list") {
    ds.push(diagnostic("F0201", `vary ${pathWord.name}: the values must be a list like [32, 64]`, list.span));
    return;
  }
  if (extra) ds.push(diagnostic("F0112", `vary ${pathWord.name}: unexpected argument after the list`, extra.span));
  if (list.items.length === 0) {
    ds.push(diagnostic("F0108", `vary ${pathWord.name}: the list is empty`, list.span, "give one value or more"));
    return;
  }
  const first = seen.get(pathWord.name);
  if (first !== undefined) {
    ds.push(diagnostic("F0107", `sweep: ${pathWord.name} is already varied (line ${first})`, pathWord.span, "merge the two lists"));
    return;
  }
  seen.set(pathWord.name, pathWord.span.line);
  const values = list.items.map((value) => ({ text: valueText(value), value }));
  values.forEach((v, i) => {
    if (values.findIndex((w) => w.text === v.text) !== i) ds.push(diagnostic("F0107", `vary ${pathWord.name}: value ${v.text} is given twice`, v.value.span));
  });
  out.push({ path: pathWord.name, values, span: pathWord.span, from: "spec" });
}

export function sweepIR(section: SweepSection): SweepIR {
  return {
    vary: section.variations.map((v) => ({ path: v.path, values: v.values.map((x) => x.text) })),
    ...(section.samples !== undefined ? { samples: section.samples } : {}),
    seed: section.seed,
  };
}

/**
 * The semantic part, once the rest of the spec checks: each value applied alone must check
 * (reported at the value), and, for grids small enough, every combination too.
 * `doc` is the spec without its sweep section, `base` its IR, `check` the checker itself.
 */
export function verifySweep(section: SweepSection, doc: Document, base: SpecIR, check: (d: Document) => TrialCheck, ds: Diagnostic[]): void {
  let allSingleOk = true;
  for (const v of section.variations) {
    for (const x of v.values) {
      const applied = applyVariation(doc, base, v.path, x.value);
      if (!applied.ok) {
        ds.push(diagnostic("F0701", `sweep: ${applied.message}`, v.span!, applied.hint));
        allSingleOk = false;
        break;
      }
      const t = buildTrial(doc, base, [{ path: v.path, value: x }], check);
      if (!t.ok) {
        const first = t.errors[0]!;
        const where = first.span.offset === x.value.span.offset && first.span.line === x.value.span.line ? "" : ` (at ${first.span.line}:${first.span.column})`;
        ds.push(diagnostic("F0702", `sweep: ${v.path} = ${x.text} does not check: ${first.message}${where}`, x.value.span, first.hint));
        allSingleOk = false;
      }
    }
  }
  const size = gridSize(section.variations);
  if (section.samples === undefined && size > MAX_GRID) {
    ds.push(diagnostic("F0704", `sweep: the grid has ${size.toLocaleString("en-US")} trials (more than ${MAX_GRID.toLocaleString("en-US")})`, section.span, "add `samples N` for a seeded random sample of the grid"));
    return;
  }
  if (!allSingleOk || section.variations.length < 2 || size > MAX_CHECKED_COMBINATIONS) return;
  for (const combo of combinations(section.variations.map((v) => v.values.length))) {
    const assignment = combo.map((k, i) => ({ path: section.variations[i]!.path, value: section.variations[i]!.values[k]! }));
    const t = buildTrial(doc, base, assignment, check);
    if (!t.ok) {
      const names = assignment.map((a) => `${a.path} = ${a.value.text}`).join(", ");
      ds.push(diagnostic("F0703", `sweep: the trial ${names} does not check: ${t.errors[0]!.message}`, section.span, t.errors[0]!.hint));
      return;
    }
  }
}

function* combinations(sizes: readonly number[]): Generator<number[]> {
  const idx = sizes.map(() => 0);
  const total = sizes.reduce((a, b) => a * b, 1);
  for (let n = 0; n < total; n++) {
    yield [...idx];
    for (let i = sizes.length - 1; i >= 0; i--) {
      if (++idx[i]! < sizes[i]!) break;
      idx[i] = 0;
    }
  }
}
