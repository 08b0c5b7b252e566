/**
 * Command-line overrides of a spec's training policy (`ferc run --epochs N --batch N --seed N`),
 * checked as if they had been written in the spec: each value is set on the syntax tree (as a
 * sweep value is, src/variation/paths.ts) and the edited spec goes through the one checker. So
 * `--batch 100000` gets `batch`'s range error and `--batch 60000` the memory errors (F0601) at the
 * layers whose activations it would overflow, exactly as `batch 60000` in the spec would.
 */
import { hasErrors, type Diagnostic, type Span } from "../diagnostics.js";
import type { SpecIR } from "../ir.js";
import type { Document } from "../syntax/ast.js";
import { applyVariation } from "../variation/paths.js";
import { readValue } from "../variation/values.js";
import { checkDocument } from "./index.js";

export interface PolicyOverride {
  /** The command-line flag, without dashes: `batch`. */
  readonly flag: string;
  /** The setting it overrides, as a sweep names it: `train.batch`. */
  readonly path: string;
  readonly value: number;
}

/** The flags `ferc run` maps onto spec settings, and the setting each one overrides. */
export const POLICY_FLAGS: Readonly<Record<string, string>> = { epochs: "train.epochs", batch: "train.batch", seed: "train.seed" };

export interface OverrideProblems {
  /** Errors about a flag's value itself (out of range): they point at the command line, not the spec. */
  readonly atFlags: readonly Diagnostic[];
  /** Errors the overridden values cause in the spec (a layer's activations at that batch), with where. */
  readonly inSpec: readonly Diagnostic[];
}

/** A span no source text has: diagnostics carrying it are about override `i`'s value. */
const flagSpan = (i: number): Span => ({ offset: -1 - i, length: 0, line: 1, column: 1, endLine: 1, endColumn: 1 });

const flagText = (o: PolicyOverride): string => `--${o.flag} ${o.value}`;

/**
 * The errors of `doc` (checked as `base`) with `overrides` applied; none when it still checks.
 * The sweep section is left out: `ferc run` trains the base spec, not its trials.
 */
export function checkOverrides(doc: Document, base: SpecIR, file: string, overrides: readonly PolicyOverride[]): OverrideProblems {
  if (overrides.length === 0) return { atFlags: [], inSpec: [] };
  let edited: Document = { ...doc, statements: doc.statements.filter((s) => s.head.name !== "sweep") };
  for (const [i, o] of overrides.entries()) {
    // Numbers are written as in a spec; a value the parser rejects would be a usage error earlier.
    const value = readValue(String(o.value), flagSpan(i));
    if (value === undefined) return { atFlags: [], inSpec: [] };
    const applied = applyVariation(edited, base, o.path, value);
    if (!applied.ok) throw new Error(`internal: cannot apply ${flagText(o)} to ${o.path}: ${applied.message}`);
    edited = applied.doc;
  }
  const r = checkDocument(edited, file);
  if (!hasErrors(r.diagnostics)) return { atFlags: [], inSpec: [] };
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  const flagOf = (d: Diagnostic): PolicyOverride | undefined => (d.span.offset < 0 ? overrides[-1 - d.span.offset] : undefined);
  const atFlags = errors.flatMap((d) => {
    const o = flagOf(d);
    return o ? [{ ...d, message: `${flagText(o)}: ${d.message}`, file: "the command line" }] : [];
  });
  const given = overrides.map(flagText).join(" ");
  const inSpec = errors.filter((d) => flagOf(d) === undefined).map((d) => ({ ...d, message: `${d.message} (with ${given})`, file }));
  return { atFlags, inSpec };
}
