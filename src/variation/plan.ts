/**
 * From variations to trials: the grid (first variation slowest, like nested loops in the order
 * written) or a seeded random sample of its points, and each trial built as an edited syntax
 * tree that passes the full checker.
 */
import { diagnostic, NO_SPAN, type Diagnostic } from "../diagnostics.js";
import type { SpecIR } from "../ir.js";
import type { Document, Statement } from "../syntax/ast.js";
import { createRng } from "../util/rng.js";
import { applyVariation } from "./paths.js";
import type { SweepValue, Variation } from "./values.js";

export interface Assignment {
  readonly path: string;
  readonly value: SweepValue;
}

/**
 * What building a trial needs of a check's result; the checker's CheckResult is one. The checker
 * hands itself in (`check`), because sweep planning sits on the floor below it.
 */
export interface TrialCheck {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly spec?: SpecIR;
}

/** The check passed and resolved a spec. */
const checked = <R extends TrialCheck>(r: R): r is R & { readonly spec: SpecIR } => r.ok && r.spec !== undefined;

export type BuiltTrial<R extends TrialCheck = TrialCheck> =
  | {
      readonly ok: true;
      readonly doc: Document;
      readonly result: R & { readonly spec: SpecIR };
      /** Static expectations of the base (`params`, `shape`) that no longer hold, dropped for this trial. */
      readonly droppedExpect: readonly string[];
    }
  | { readonly ok: false; readonly errors: readonly Diagnostic[] };

export const gridSize = (vs: readonly Variation[]): number => vs.reduce((n, v) => n * v.values.length, 1);

/** Grid point `n` as one value index per variation (mixed radix, first variation slowest). */
export function gridPoint(vs: readonly Variation[], n: number): number[] {
  const out = new Array<number>(vs.length).fill(0);
  for (let i = vs.length - 1; i >= 0; i--) {
    const k = vs[i]!.values.length;
    out[i] = n % k;
    n = Math.floor(n / k);
  }
  return out;
}

/** Which grid points run: all of them, or `samples` distinct ones drawn with `seed`, in grid order. */
export function chooseGridPoints(vs: readonly Variation[], samples: number | undefined, seed: number): number[] {
  const total = gridSize(vs);
  if (samples === undefined || samples >= total) return Array.from({ length: total }, (_, i) => i);
  const rng = createRng(seed);
  const picked = new Set<number>();
  while (picked.size < samples) picked.add(rng.int(total));
  return [...picked].sort((a, b) => a - b);
}

export function assignmentOf(vs: readonly Variation[], point: number): Assignment[] {
  return gridPoint(vs, point).map((k, i) => ({ path: vs[i]!.path, value: vs[i]!.values[k]! }));
}

/**
 * Apply every assignment to `doc` (the base spec without its sweep section) and check the result.
 * A trial whose only errors are the base's `expect params`/`expect shape` assertions (which
 * describe the base model, and go stale the moment a width is varied) is checked again without
 * them; the dropped ones are reported with the trial.
 */
export function buildTrial<R extends TrialCheck>(doc: Document, base: SpecIR, assignment: readonly Assignment[], check: (d: Document) => R): BuiltTrial<R> {
  let d = doc;
  for (const a of assignment) {
    const applied = applyVariation(d, base, a.path, a.value.value);
    if (!applied.ok) return { ok: false, errors: [diagnostic("F0701", applied.message, NO_SPAN, applied.hint)] };
    d = applied.doc;
  }
  const r = check(d);
  if (checked(r)) return { ok: true, doc: d, result: r, droppedExpect: [] };
  const errors = r.diagnostics.filter((x) => x.severity === "error");
  if (!errors.every((x) => x.code === "F0501" || x.code === "F0502")) return { ok: false, errors };
  const stale = new Set(errors.map((x) => `${x.span.offset}:${x.span.line}`));
  const dropped: string[] = [];
  const statements = d.statements.map((s): Statement => {
    if (s.head.name !== "expect" || !s.block) return s;
    const keep = s.block.statements.filter((e) => {
      const hit = [...stale].some((k) => {
        const [off, line] = k.split(":").map(Number);
        return e.span.line === line || (off! >= e.span.offset && off! < e.span.offset + e.span.length);
      });
      if (hit) dropped.push(errors.find((x) => x.span.line === e.span.line)?.message ?? e.head.name);
      return !hit;
    });
    return { ...s, block: { ...s.block, statements: keep } };
  });
  const again = check({ ...d, statements });
  if (checked(again)) return { ok: true, doc: { ...d, statements }, result: again, droppedExpect: dropped };
  return { ok: false, errors };
}
