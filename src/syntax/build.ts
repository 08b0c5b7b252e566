/**
 * CST → syntax tree. Kept apart from the grammar so the grammar stays pure. It tolerates the
 * partial nodes that Chevrotain's error recovery leaves behind (missing tokens, re-synced rules):
 * whatever cannot be built is dropped, since the parser has already reported why.
 */
import type { CstNode, IToken } from "chevrotain";
import { diagnostic, joinSpans, type Diagnostic, type Span } from "../diagnostics.js";
import type { Arg, Block, Statement, Value, WordValue } from "./ast.js";

type Children = Record<string, (CstNode | IToken)[] | undefined>;

const isToken = (x: CstNode | IToken): x is IToken => "image" in x;

export function tokenSpan(t: IToken): Span | undefined {
  if (t.isInsertedInRecovery || !Number.isFinite(t.startOffset)) return undefined;
  return {
    offset: t.startOffset,
    length: (t.endOffset ?? t.startOffset) - t.startOffset + 1,
    line: t.startLine ?? 1,
    column: t.startColumn ?? 1,
    endLine: t.endLine ?? t.startLine ?? 1,
    endColumn: (t.endColumn ?? t.startColumn ?? 0) + 1,
  };
}

function nodeSpan(n: CstNode): Span | undefined {
  const l = n.location;
  if (!l || !Number.isFinite(l.startOffset) || l.endOffset === undefined || !Number.isFinite(l.endOffset)) return undefined;
  return {
    offset: l.startOffset,
    length: l.endOffset - l.startOffset + 1,
    line: l.startLine ?? 1,
    column: l.startColumn ?? 1,
    endLine: l.endLine ?? 1,
    endColumn: (l.endColumn ?? 0) + 1,
  };
}

const tokens = (c: Children, key: string): IToken[] => (c[key] ?? []).filter(isToken);
const nodes = (c: Children, key: string): CstNode[] => (c[key] ?? []).filter((x): x is CstNode => !isToken(x));

export const UNITS = ["deg", "rad", "%"] as const;
/** A size whatever the case of its `x`es; the lexer only takes lowercase ones as dimensions. */
const SIZE_ANY_CASE = /^\d+(?:[xX]\d+)+$/;
const NUMERIC_PREFIX = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;

export class TreeBuilder {
  readonly diagnostics: Diagnostic[] = [];

  /** `elided`: offsets of the `{`s whose contents the parser cut out (nesting too deep). */
  constructor(private readonly elided: ReadonlySet<number> = new Set()) {}

  statements(children: Children): Statement[] {
    const out: Statement[] = [];
    for (const n of nodes(children, "statement")) {
      const s = this.statement(n);
      if (s) out.push(s);
    }
    // Chevrotain groups repeated subrules by name, losing their order relative to separators;
    // statements are ordered by position, which is all later stages need.
    return out.sort((a, b) => a.span.offset - b.span.offset);
  }

  private statement(n: CstNode): Statement | undefined {
    const c = n.children as Children;
    const headTok = tokens(c, "head")[0];
    const headSpan = headTok && tokenSpan(headTok);
    if (!headTok || !headSpan) return undefined;
    const head: WordValue = { kind: "word", name: headTok.image, span: headSpan };
    const args: Arg[] = [];
    for (const a of nodes(c, "arg")) {
      const arg = this.arg(a);
      if (arg) args.push(arg);
    }
    const blockNode = nodes(c, "block")[0];
    const block = blockNode ? this.block(blockNode) : undefined;
    const last = block?.span ?? args[args.length - 1]?.span ?? headSpan;
    const stmt: Statement = {
      kind: "statement",
      head,
      assign: tokens(c, "assign").length > 0,
      args,
      span: joinSpans(headSpan, last),
      ...(block ? { block } : {}),
    };
    return stmt;
  }

  private block(n: CstNode): Block | undefined {
    const c = n.children as Children;
    const open = tokens(c, "LBrace")[0];
    const openSpan = open && tokenSpan(open);
    if (!openSpan) return undefined;
    const close = tokens(c, "RBrace")[0];
    const closeSpan = close && tokenSpan(close);
    const statements = this.statements(c);
    const end = closeSpan ?? statements[statements.length - 1]?.span ?? openSpan;
    const block = { statements, span: joinSpans(openSpan, end), open: openSpan };
    return this.elided.has(openSpan.offset) ? { ...block, elided: true } : block;
  }

  private arg(n: CstNode): Arg | undefined {
    const c = n.children as Children;
    const first = nodes(c, "first")[0];
    const second = nodes(c, "second")[0];
    const v1 = first && this.value(first);
    if (!v1) return undefined;
    if (!second) return { value: v1, span: v1.span };
    const v2 = this.value(second);
    if (!v2) return { value: v1, span: v1.span };
    if (v1.kind !== "word") {
      this.diagnostics.push(diagnostic("F0003", "only a name can stand before '='", v1.span, "write it as name = value"));
      return { value: v2, span: v2.span };
    }
    return { key: v1, value: v2, span: joinSpans(v1.span, v2.span) };
  }

  private value(n: CstNode): Value | undefined {
    const c = n.children as Children;
    const listNode = nodes(c, "list")[0];
    if (listNode) return this.list(listNode);
    const tok = (["NumberLit", "Dims", "StringLit", "UnterminatedString", "Word", "Compare"] as const)
      .map((k) => tokens(c, k)[0])
      .find((t) => t !== undefined);
    const span = tok && tokenSpan(tok);
    if (!tok || !span) return undefined;
    switch (tok.tokenType.name) {
      case "NumberLit":
        return this.number(tok.image, span);
      case "Dims":
        return this.dims(tok.image, span);
      case "StringLit":
        return { kind: "string", value: unescape(tok.image.slice(1, -1)), span };
      case "UnterminatedString":
        // Reported once by parse() from the token stream, even where no value could be built.
        return { kind: "string", value: unescape(tok.image.slice(1)), span };
      default:
        return { kind: "word", name: tok.image, span };
    }
  }

  private number(raw: string, span: Span): Value {
    // `3X3`, `48x48X1`: a size with a capital X lexes as a number with a unit; it is read as the
    // size it plainly is (so nothing downstream fails on it) and reported once, with the fix.
    if (SIZE_ANY_CASE.test(raw)) {
      const fixed = raw.toLowerCase();
      this.diagnostics.push(diagnostic("F0004", `size ${raw} must be written with a lowercase x`, span, `write ${fixed}`));
      return this.dims(fixed, span);
    }
    const numeric = NUMERIC_PREFIX.exec(raw)?.[0] ?? raw;
    const unit = raw.slice(numeric.length);
    const value = Number(numeric);
    // Marked so that checks do not report the stand-in 0 a second time ("must be at least 1").
    const finite = Number.isFinite(value) ? { value } : { value: 0, malformed: true as const };
    if (!Number.isFinite(value)) {
      this.diagnostics.push(diagnostic("F0004", `number ${numeric} is out of range`, span));
    }
    if (unit !== "" && !(UNITS as readonly string[]).includes(unit)) {
      this.diagnostics.push(
        diagnostic("F0004", `unknown unit "${unit}" in ${raw}`, span, `units are ${UNITS.join(", ")}`),
      );
      return { kind: "number", ...finite, raw: numeric, span };
    }
    return unit === "" ? { kind: "number", ...finite, raw, span } : { kind: "number", ...finite, unit, raw: numeric, span };
  }

  private dims(raw: string, span: Span): Value {
    const dims = raw.split("x").map(Number);
    if (dims.some((d) => !Number.isSafeInteger(d))) {
      this.diagnostics.push(diagnostic("F0004", `dimension in ${raw.slice(0, 40)} is out of range`, span));
      return { kind: "dims", dims: dims.map((d) => (Number.isSafeInteger(d) ? d : 0)), raw, span, malformed: true };
    }
    return { kind: "dims", dims, raw, span };
  }

  private list(n: CstNode): Value | undefined {
    const c = n.children as Children;
    const span = nodeSpan(n) ?? tokenSpanOf(tokens(c, "LBracket")[0]);
    if (!span) return undefined;
    const items: Value[] = [];
    for (const v of nodes(c, "value")) {
      const item = this.value(v);
      if (item) items.push(item);
    }
    items.sort((a, b) => a.span.offset - b.span.offset);
    this.emptyElements(tokens(c, "Comma"), nodes(c, "value"));
    return { kind: "list", items, span };
  }

  /**
   * The grammar lets a value after each ',' be absent so that a trailing comma (`[16, 32,]`) is
   * fine; that also admits `[16,, 32]`, which is almost always a value that went missing, not
   * something to skip silently. Each ',' that directly follows another is reported.
   */
  private emptyElements(commas: readonly IToken[], values: readonly CstNode[]): void {
    const items = [
      ...commas.map((t) => ({ comma: t as IToken | undefined, offset: t.startOffset })),
      ...values.map((v) => ({ comma: undefined, offset: v.location?.startOffset ?? Number.NaN })),
    ].filter((x) => Number.isFinite(x.offset));
    items.sort((a, b) => a.offset - b.offset);
    for (let i = 1; i < items.length; i++) {
      const t = items[i]!.comma;
      const span = items[i - 1]!.comma && t ? tokenSpan(t) : undefined;
      if (span) this.diagnostics.push(diagnostic("F0003", "empty element in list", span, "remove the extra ',' or put the missing value before it"));
    }
  }
}

const tokenSpanOf = (t: IToken | undefined): Span | undefined => (t ? tokenSpan(t) : undefined);

function unescape(s: string): string {
  return s.replace(/\\(.)/g, (_, ch: string) => (ch === "n" ? "\n" : ch === "t" ? "\t" : ch));
}
