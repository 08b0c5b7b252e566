/** Small constructors for syntax trees generated from the IR (no source, so no real spans). */
import { NO_SPAN } from "../diagnostics.js";
import type { Arg, Statement, Value } from "../syntax/ast.js";
import { canonicalNumber } from "../syntax/numbers.js";

const WORD = /^[A-Za-z_][A-Za-z0-9_\-.]*$/;

export const word = (name: string): Value => ({ kind: "word", name, span: NO_SPAN });
export const num = (value: number, unit?: string): Value =>
  unit === undefined
    ? { kind: "number", value, raw: canonicalNumber(value), span: NO_SPAN }
    : { kind: "number", value, unit, raw: canonicalNumber(value), span: NO_SPAN };
export const dims = (d: readonly number[]): Value => ({ kind: "dims", dims: d, raw: d.join("x"), span: NO_SPAN });
export const str = (value: string): Value => ({ kind: "string", value, span: NO_SPAN });
export const list = (items: readonly Value[]): Value => ({ kind: "list", items, span: NO_SPAN });
/** A bare word when the text lexes as one, else a string. */
export const name = (text: string): Value => (WORD.test(text) ? word(text) : str(text));

export const pos = (value: Value): Arg => ({ value, span: NO_SPAN });
export const kw = (key: string, value: Value): Arg => ({ key: { kind: "word", name: key, span: NO_SPAN }, value, span: NO_SPAN });

export function stmt(head: string, args: readonly (Arg | Value)[] = [], block?: readonly Statement[], assign = false): Statement {
  const a = args.map((x): Arg => ("kind" in x ? pos(x) : x));
  return {
    kind: "statement",
    head: { kind: "word", name: head, span: NO_SPAN },
    assign,
    args: a,
    span: NO_SPAN,
    ...(block ? { block: { statements: block, span: NO_SPAN, open: NO_SPAN } } : {}),
  };
}
