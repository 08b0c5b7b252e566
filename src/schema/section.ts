/**
 * What a settings section declares, all in its own file under src/sections/: its statements in
 * canonical order, each with its signature (or its own reader), how it goes into the IR and how
 * the IR is written back as a statement. The checker, `fmt`'s ordering, `show --resolved`, the
 * YAML form, the sweep paths, the fuzzer's vocabulary and grammar/vocabulary.md all read these
 * declarations, so a setting is declared once (the way a layer kind is, in src/layers/).
 */
import type { Diagnostic, Span } from "../diagnostics.js";
import type { Statement } from "../syntax/ast.js";
import { bindStatement, type Bound } from "./bind.js";
import type { SectionInfo, StatementInfo } from "./info.js";
import { walkSection } from "./walk.js";

export type { SectionInfo, StatementInfo } from "./info.js";

/** The IR under construction: a section's statements fill it in, one by one. */
export type Draft<T> = { -readonly [K in keyof T]: T[K] };

export interface CheckContext {
  readonly ds: Diagnostic[];
  /** The dataset's class count; undefined when the class list was rejected (nothing is counted against it). */
  readonly numClasses?: number;
}

export interface StatementSchema<D, R = D> extends StatementInfo {
  /**
   * Into the IR. `b` is the bound statement when it has a signature and bound completely (the
   * binder has reported anything less); statements without a signature read `s` themselves.
   */
  readonly toIR: (ir: Draft<D>, s: Statement, b: Bound | undefined, cx: CheckContext) => void;
  /**
   * Out of the IR, for `show --resolved`: the statements that say what `ir` holds ([] leaves it
   * out). Absent in a section whose order is the IR's own (preprocess steps): the section writes them.
   */
  readonly fromIR?: (ir: R) => readonly Statement[];
}

export interface SectionSchema<D, R = D> extends SectionInfo {
  readonly statements: readonly StatementSchema<D, R>[];
  /** The IR before any statement: every default. */
  readonly defaults: () => Draft<D>;
  /** The whole section out of the IR, for a section whose statements' order is in the IR (steps). */
  readonly fromIR?: (ir: R) => readonly Statement[];
}

/** The statements that say what `ir` holds, in the section's canonical order (for `show --resolved`). */
export function fromIR<D, R>(schema: SectionSchema<D, R>, ir: R): Statement[] {
  if (schema.fromIR) return [...schema.fromIR(ir)];
  return schema.statements.flatMap((s) => [...(s.fromIR?.(ir) ?? [])]);
}

export interface SectionChecked<D> {
  readonly ir: Draft<D>;
  /** Where each statement was written (the last one, for a repeatable statement). */
  readonly spans: ReadonlyMap<string, Span>;
}

/**
 * Check a section's block against its schema: unknown heads, duplicates and stray blocks are
 * reported by walkSection; each statement binds with its signature and goes into the IR.
 */
export function checkSection<D, R>(schema: SectionSchema<D, R>, block: Statement["block"], cx: CheckContext): SectionChecked<D> {
  const ir = schema.defaults();
  const spans = new Map<string, Span>();
  const run = (st: StatementSchema<D, R>) => (s: Statement) => {
    spans.set(st.head, s.span);
    const b = st.signature ? bindStatement(st.head, st.signature, s, cx.ds) : undefined;
    st.toIR(ir, s, b?.complete ? b : undefined, cx);
  };
  walkSection(schema, block, Object.fromEntries(schema.statements.map((st) => [st.head, run(st)])), cx.ds);
  return { ir, spans };
}

/** The single option of a one-value statement (`batch 128`), once bound. */
export const only = (b: Bound): unknown => Object.values(b.options)[0];
