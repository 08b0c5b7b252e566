/**
 * YAML (`*.fer.yaml`) → the same syntax tree `parse` builds from `.fer`, with every span
 * pointing into the YAML text (line:col from the text's own line starts, ./lines.ts), so the checker's
 * diagnostics land on the YAML. Plain scalars are parsed as `.fer` text by the real parser,
 * which keeps one grammar for both forms; quoted scalars are strings. See emit.ts for the form.
 */
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  Parser,
  parseDocument,
  Scalar,
  type Node as YamlNode,
  type Pair,
} from "yaml";
import { diagnostic, joinSpans, NO_SPAN, sortDiagnostics, type Diagnostic, type Span } from "../diagnostics.js";
import type { Arg, Block, Comment, Document, Statement, Value } from "../syntax/ast.js";
import { parse, type ParseResult } from "../syntax/parser.js";
import { sizeLimit } from "../syntax/limits.js";
import { cutDeepNesting } from "./depth.js";
import { spanIndex } from "./lines.js";

type Range = readonly [number, number, number];

export function fromYaml(yamlText: string): ParseResult {
  const tooLarge = sizeLimit(yamlText.length);
  if (tooLarge) return { document: { statements: [], comments: [], span: NO_SPAN }, diagnostics: [tooLarge] };
  try {
    // Too-deep nesting is cut out first: the yaml package composes recursively.
    const cut = cutDeepNesting(yamlText);
    const read = new Reader(cut.text).read();
    return cut.diagnostics.length === 0 ? read : { ...read, diagnostics: sortDiagnostics([...cut.diagnostics, ...read.diagnostics]) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const span: Span = { offset: 0, length: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
    return { document: { statements: [], comments: [], span }, diagnostics: [diagnostic("F0903", `internal YAML reader error: ${message}`, span)] };
  }
}

class Reader {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly spanOf: (offset: number, length: number) => Span;

  constructor(private readonly text: string) {
    this.spanOf = spanIndex(text);
  }

  read(): ParseResult {
    const doc = parseDocument(this.text, { keepSourceTokens: true, prettyErrors: false });
    for (const e of doc.errors) {
      const hint = /unique/i.test(e.message) ? "a repeated statement needs the list form: - conv 3x3 16" : undefined;
      this.diagnostics.push(diagnostic("F0902", firstLine(e.message), this.span(e.pos[0], e.pos[1] - e.pos[0]), hint));
    }
    const root = doc.contents as YamlNode | null;
    let statements: Statement[] = [];
    if (root === null || (isScalar(root) && (root.value === null || root.value === ""))) statements = [];
    else if (isMap(root) || isSeq(root)) statements = this.block(root);
    else this.error(root, "a spec in YAML is a mapping of sections (spec: name, dataset ...: ...)");
    const document: Document = {
      statements,
      comments: this.comments(),
      span: this.span(0, this.text.length),
    };
    return { document, diagnostics: sortDiagnostics(this.diagnostics) };
  }

  // ------------------------------------------------------------------ structure

  /** A mapping's pairs or a list's items, each one statement (a plain item may hold several). */
  private block(node: YamlNode): Statement[] {
    const out: Statement[] = [];
    if (isMap(node)) {
      for (const pair of node.items) {
        const s = this.pair(pair as Pair<unknown, unknown>);
        if (s) out.push(s);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) out.push(...this.item(item as YamlNode | null));
    }
    return out;
  }

  private item(node: YamlNode | null): Statement[] {
    if (node === null) return [];
    if (isScalar(node)) {
      if (node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE") {
        this.error(node, "a list item is a statement, not a string", "write it without quotes: - conv 3x3 16 relu");
        return [];
      }
      return this.ferStatements(node);
    }
    if (isMap(node)) {
      if (node.items.length !== 1) {
        this.error(node, "a list item holds one statement", "start each statement with its own '- '");
      }
      return this.block(node);
    }
    this.error(node, "a list item is a statement: - conv 3x3 16, or - repeat 2: [...]");
    return [];
  }

  /** `head args: value`: the key gives head (and args), the value more args or the block. */
  private pair(pair: Pair<unknown, unknown>): Statement | undefined {
    const key = pair.key as YamlNode | null;
    const value = pair.value as YamlNode | null;
    if (!key || !isScalar(key) || key.type !== "PLAIN") {
      if (key) this.error(key, "a key is a statement head", "write it without quotes, e.g. conv or dataset fer2013");
      return undefined;
    }
    const heads = this.ferStatements(key);
    if (heads.length !== 1 || heads[0]!.block) {
      this.error(key, "a key holds one statement head (and its arguments)");
      return heads[0];
    }
    const head = heads[0]!;
    const keyEnd = range(key)[1];
    if (value === null || (isScalar(value) && value.type === "PLAIN" && (value.source ?? "") === "" )) return head;
    if (isMap(value) || (isSeq(value) && !value.flow)) return this.withBlock(head, value, keyEnd);
    if (isSeq(value)) return this.withArgs(head, this.flowArgs(value), false, range(value)[1]);
    if (isScalar(value)) {
      if (value.type === "PLAIN") {
        const extra = this.ferArgs(value);
        return extra ? this.withArgs(head, extra.args, extra.assign, range(value)[1]) : head;
      }
      const r = range(value);
      const v: Value = { kind: "string", value: String(value.value ?? ""), span: this.span(r[0], r[1] - r[0]) };
      return this.withArgs(head, [{ value: v, span: v.span }], false, r[1]);
    }
    this.error(value, "expected arguments, a string or a block");
    return head;
  }

  private withArgs(head: Statement, args: readonly Arg[], assign: boolean, end: number): Statement {
    return {
      ...head,
      assign: head.assign || assign,
      args: [...head.args, ...args],
      span: joinSpans(head.span, this.span(end, 0)),
    };
  }

  private withBlock(head: Statement, value: YamlNode, keyEnd: number): Statement {
    // The block "opens" at the key's colon, so `model: # note` is a comment after the opening
    // brace; it ends at the last character of its node, comments inside it included.
    const colon = this.text.indexOf(":", keyEnd);
    const openAt = colon >= 0 ? colon : keyEnd;
    const end = this.blockEnd(head.span.column, contentEnd(value));
    const block: Block = {
      statements: this.block(value),
      open: this.span(openAt, 1),
      span: this.span(openAt, end - openAt),
    };
    return { ...head, block, span: joinSpans(head.span, block.span) };
  }

  /** `[0.2, 0.2]` as a mapping value: arguments, each item one value. */
  private flowArgs(seq: YamlNode): Arg[] {
    const out: Arg[] = [];
    if (!isSeq(seq)) return out;
    for (const item of seq.items) {
      const node = item as YamlNode;
      if (!isScalar(node)) {
        this.error(node, "a list argument holds values");
        continue;
      }
      if (node.type === "PLAIN") out.push(...(this.ferArgs(node)?.args ?? []));
      else {
        const r = range(node);
        const v: Value = { kind: "string", value: String(node.value ?? ""), span: this.span(r[0], r[1] - r[0]) };
        out.push({ value: v, span: v.span });
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ .fer text inside YAML

  /** A plain scalar or `|` literal parsed as `.fer` statements, spans moved onto the YAML. */
  private ferStatements(node: Scalar): Statement[] {
    const snippet = this.snippet(node);
    if (!snippet) return [];
    const r = parse(snippet.text);
    this.report(r.diagnostics, snippet.map);
    const out = r.document.statements.map((s) => moveSpans(s, (sp) => this.mapSpan(sp, snippet.map)));
    // A `|` literal's text starts a line below its indicator; the statement starts at the
    // indicator, so blank lines and comments around the item are judged from there.
    if (out[0] && node.type !== "PLAIN") out[0] = { ...out[0], span: joinSpans(this.span(range(node)[0], 1), out[0].span) };
    return out;
  }

  /** A plain scalar as arguments: parsed after a placeholder head, which is then dropped. */
  private ferArgs(node: Scalar): { args: Arg[]; assign: boolean } | undefined {
    const snippet = this.snippet(node);
    if (!snippet) return undefined;
    const r = parse(`_ ${snippet.text}`);
    const map = (o: number) => snippet.map(Math.max(0, o - 2));
    this.report(r.diagnostics, map);
    const [first, ...rest] = r.document.statements;
    if (!first) return undefined;
    if (rest.length > 0 || first.block) this.error(node, "arguments only here; put statements in a list under the key");
    return { args: first.args.map((a) => moveSpans(a, (sp) => this.mapSpan(sp, map))), assign: first.assign };
  }

  /** The scalar's `.fer` text and a map from its offsets to YAML offsets. */
  private snippet(node: Scalar): { text: string; map: (o: number) => number } | undefined {
    const [start, end] = range(node);
    const raw = this.text.slice(start, end);
    if (node.type === "PLAIN") {
      const text = node.source ?? String(node.value ?? "");
      // Single-line plain scalars are verbatim; folded multi-line ones map to their start.
      return { text, map: raw === text ? (o) => start + o : () => start };
    }
    if (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED") {
      return { text: String(node.value ?? ""), map: this.literalMap(start, end, String(node.value ?? "")) };
    }
    return undefined;
  }

  /** Offsets of a `|` literal's value → YAML offsets, line by line past the indentation. */
  private literalMap(start: number, end: number, value: string): (o: number) => number {
    const body = this.text.indexOf("\n", start) + 1;
    const lines = this.text.slice(body, end).split("\n");
    const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
    const lineStarts: number[] = [];
    let at = body;
    for (const l of lines) {
      lineStarts.push(at + Math.min(indent, l.length));
      at += l.length + 1;
    }
    const valueLineStarts = [0];
    for (let i = 0; i < value.length; i++) if (value[i] === "\n") valueLineStarts.push(i + 1);
    return (o) => {
      // The last value line starting at or before o (binary search: a literal may have many lines).
      let lo = 0, hi = valueLineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (valueLineStarts[mid]! <= o) lo = mid;
        else hi = mid - 1;
      }
      return (lineStarts[lo] ?? body) + (o - valueLineStarts[lo]!);
    };
  }

  private report(ds: readonly Diagnostic[], map: (o: number) => number): void {
    for (const d of ds) this.diagnostics.push({ ...d, span: this.mapSpan(d.span, map) });
  }

  private mapSpan(s: Span, map: (o: number) => number): Span {
    const from = map(s.offset);
    const to = Math.max(from, map(s.offset + s.length));
    return this.span(from, to - from);
  }

  // ------------------------------------------------------------------ positions and comments

  span(offset: number, length: number): Span {
    return this.spanOf(offset, length);
  }

  /**
   * Where a block ends: after its last value, plus the comment lines that follow it indented
   * deeper than its key (YAML's own node range also swallows comments at lower indentation,
   * which belong to what comes next).
   */
  private blockEnd(keyColumn: number, contentEnd: number): number {
    let end = contentEnd;
    let at = this.text.indexOf("\n", end);
    while (at >= 0 && at < this.text.length) {
      const next = this.text.indexOf("\n", at + 1);
      const line = this.text.slice(at + 1, next < 0 ? this.text.length : next);
      const indent = line.length - line.trimStart().length;
      if (line.trim() === "") {
        at = next;
        continue;
      }
      if (!line.trimStart().startsWith("#") || indent + 1 <= keyColumn) break;
      end = at + 1 + line.trimEnd().length;
      at = next;
    }
    return end;
  }

  private error(node: YamlNode, message: string, hint?: string): void {
    const r = range(node);
    this.diagnostics.push(diagnostic("F0902", message, this.span(r[0], Math.max(0, r[1] - r[0])), hint));
  }

  /** Every YAML comment, from the CST; `#// x` is a `.fer` `// x` comment. */
  private comments(): Comment[] {
    const out: Comment[] = [];
    const seen = new Set<number>();
    const visit = (x: unknown): void => {
      if (Array.isArray(x)) return x.forEach(visit);
      if (x === null || typeof x !== "object") return;
      const t = x as { type?: unknown; offset?: unknown; source?: unknown };
      if (t.type === "comment" && typeof t.offset === "number" && typeof t.source === "string") {
        if (!seen.has(t.offset)) {
          seen.add(t.offset);
          const text = t.source.startsWith("#//") ? t.source.slice(1) : t.source;
          out.push({ text, span: this.span(t.offset, t.source.length) });
        }
        return;
      }
      for (const v of Object.values(x)) visit(v);
    };
    for (const token of new Parser().parse(this.text)) visit(token);
    return out.sort((a, b) => a.span.offset - b.span.offset);
  }
}

const firstLine = (s: string): string => s.split("\n")[0] ?? s;

function range(node: YamlNode): Range {
  const r = (node as { range?: Range | null }).range;
  return r ?? [0, 0, 0];
}

/** The end of a collection's last value (its range may run on over trailing comments). */
function contentEnd(node: YamlNode): number {
  if (isMap(node) || isSeq(node)) {
    const items = node.items as unknown[];
    const last = items[items.length - 1];
    if (last === undefined) return range(node)[1];
    if (isPair(last)) {
      const v = last.value as YamlNode | null;
      return v ? contentEnd(v) : range(last.key as YamlNode)[1];
    }
    return last === null ? range(node)[1] : contentEnd(last as YamlNode);
  }
  return range(node)[1];
}

/** A deep copy of a tree node with every span passed through `f`. */
function moveSpans<T>(node: T, f: (s: Span) => Span): T {
  const visit = (x: unknown, key: string | undefined): unknown => {
    if (Array.isArray(x)) return x.map((v) => visit(v, undefined));
    if (x === null || typeof x !== "object") return x;
    if ((key === "span" || key === "open") && "offset" in x) return f(x as Span);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = visit(v, k);
    return out;
  };
  return visit(node, undefined) as T;
}

