/**
 * Sweep values as `.fer` text: `--vary train.batch=32,64` on the command line, `[32, 64]` in the
 * spec. Both become syntax-tree values read by the `.fer` parser itself, so a value means on the
 * command line exactly what it means in a spec (`40deg`, `1e-3`, `10%`, `[16, 32, 64]`, `adam`).
 */
import { hasErrors, NO_SPAN, type Span } from "../diagnostics.js";
import { printValue } from "../format/print.js";
import type { Value } from "../syntax/ast.js";
import { parse } from "../syntax/parser.js";

/** One value of a variation, with where it was written (the sweep section) or NO_SPAN (CLI). */
export interface SweepValue {
  readonly text: string;
  readonly value: Value;
}

export interface Variation {
  readonly path: string;
  readonly values: readonly SweepValue[];
  /** Where the `vary` statement is (the spec's sweep section); absent for --vary. */
  readonly span?: Span;
  readonly from: "spec" | "cli";
}

/** Canonical text of a value (what sweep.yaml stores and the trial spec prints). */
export const valueText = (v: Value): string => printValue(v);

/** Re-read a value from its text; undefined when the text is not exactly one `.fer` value. */
export function readValue(text: string, span: Span = NO_SPAN): Value | undefined {
  const parsed = parse(`x ${text}\n`);
  const st = parsed.document.statements;
  if (hasErrors(parsed.diagnostics) || st.length !== 1 || st[0]!.block || st[0]!.args.length !== 1 || st[0]!.args[0]!.key) return undefined;
  return respan(st[0]!.args[0]!.value, span);
}

/** The value with every span set to `span`, so diagnostics about it point where the user wrote it. */
function respan(v: Value, span: Span): Value {
  return v.kind === "list" ? { ...v, span, items: v.items.map((i) => respan(i, span)) } : { ...v, span };
}

/** Split `32,64` or `[16,32],[32,64]` at the commas outside brackets and quotes. */
export function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quoted) {
      cur += c;
      if (c === "\\" && i + 1 < s.length) cur += s[++i]!;
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === "[") depth++;
    else if (c === "]") depth--;
    if (c === "," && depth === 0) {
      out.push(cur.trim());
      cur = "";
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

/** `--vary PATH=V1,V2`: a variation, or the reason it cannot be read (a usage error). */
export function parseVaryFlag(flag: string): Variation | string {
  const eq = flag.indexOf("=");
  if (eq <= 0) return `--vary ${flag}: expected PATH=V1,V2,... (e.g. --vary train.batch=32,64)`;
  const path = flag.slice(0, eq).trim();
  if (!/^[A-Za-z_][A-Za-z0-9_.\-]*$/.test(path)) return `--vary ${flag}: "${path}" is not a setting path (e.g. train.optimizer.lr)`;
  const texts = splitTopLevel(flag.slice(eq + 1));
  const values: SweepValue[] = [];
  for (const text of texts) {
    const value = text === "" ? undefined : readValue(text);
    if (!value) return `--vary ${path}: cannot read value ${JSON.stringify(text)} (values are written as in a spec: 64, 1e-3, 40deg, [16, 32, 64], adam)`;
    values.push({ text: valueText(value), value });
  }
  const dup = values.find((v, i) => values.findIndex((w) => w.text === v.text) !== i);
  if (dup) return `--vary ${path}: value ${dup.text} is given twice`;
  return { path, values, from: "cli" };
}
