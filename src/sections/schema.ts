/**
 * What a settings section declares, all in its own file under src/sections/: its statements in
 * canonical order, each with its signature (or its own reader), how it goes into the IR and how
 * the IR is written back as a statement. The checker, `fmt`'s ordering, `show --resolved`, the
 * YAML form, the sweep paths, the fuzzer's vocabulary and grammar/vocabulary.md all read these
 * declarations, so a setting is declared once (the way a layer kind is, in src/layers/).
 */
import type { Diagnostic, Span } from "../diagnostics.js";
import type { Signature } from "../layers/signature.js";
import type { Statement } from "../syntax/ast.js";
import { bindStatement, type Bound } from "../check/bind.js";
import { walkSection } from "../check/section.js";

/** The IR under construction: a section's statements fill it in, one by one. */
export type Draft<T> = { -readonly [K in keyof T]: T[K] };

export interface CheckContext {
  readonly ds: Diagnostic[];
  /** The dataset's class count; undefined when the class list was rejected (nothing is counted against it). */
  readonly numClasses?: number;
}

/** What every statement declares, whatever IR its section builds: the docs, fmt and the fuzzer need only this. */
export interface StatementInfo {
  readonly head: string;
  /** How its arguments bind; absent for a statement that reads its own arguments (then `usage` and `doc` say how). */
  readonly signature?: Signature;
  readonly usage?: string;
  readonly doc?: string;
  /** Words its own reader accepts (`balanced`, `usage`, `of`), for the fuzzer's vocabulary. */
  readonly words?: readonly string[];
  /** Carries a block: the section nested in it (`split { }`), or `true` for one read by its own reader. */
  readonly section?: SectionInfo;
  readonly block?: boolean;
  /** May be written more than once (`drop`, preprocess steps). */
  readonly repeatable?: boolean;
}

export interface SectionInfo {
  readonly name: string;
  readonly summary: string;
  /** Statements in canonical order. */
  readonly statements: readonly StatementInfo[];
  /**
   * `fmt` sorts the statements into canonical order (settings, where order means nothing);
   * otherwise written order is kept (steps, layers and assertions, where it matters or reads so).
   */
  readonly sorted: boolean;
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
