/**
 * The printer: syntax tree → canonical `.fer` text. One node type (the statement) makes this a
 * small recursive function; the layout rules are:
 *   - 2-space indentation, single spaces, `key = value` arguments, `[a, b]` lists;
 *   - top-level sections in canonical order, one blank line between them, always multi-line;
 *   - one statement per line inside blocks, except a nested leaf block outside `model` (e.g.
 *     `split { ... }`, `clean { ... }`) with no comments that fits in MAX_INLINE columns: that
 *     one is printed on one line with `; ` separators. The rule depends only on the tree, so the
 *     output is a fixed point (fmt(fmt(x)) == fmt(x));
 *   - one blank line is kept where the author left one (or more) between statements in a block.
 */
import type { Arg, Comment, Statement, Value } from "../syntax/ast.js";
import type { CommentMap } from "./comments.js";
import { formatNumber } from "./numbers.js";
import { orderedChildren, orderedSections } from "./order.js";

export const INDENT = "  ";
export const MAX_INLINE = 100;

const NO_COMMENTS: CommentMap = { of: () => ({ leading: [], trailing: [], open: [], dangling: [] }), end: [] };

export function printValue(v: Value): string {
  switch (v.kind) {
    case "number":
      return formatNumber(v.value, v.unit);
    case "dims":
      return v.dims.join("x");
    case "string":
      return quote(v.value);
    case "word":
      return v.name;
    case "list":
      return `[${v.items.map(printValue).join(", ")}]`;
  }
}

/** The inverse of the parser's unescape: `\\`, `\"`, `\n`, `\t`. */
export function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, "\\n").replace(/\t/g, "\\t")}"`;
}

export function printArg(a: Arg): string {
  return a.key ? `${a.key.name} = ${printValue(a.value)}` : printValue(a.value);
}

/** `head [=] args`, without any block. */
export function printHead(s: Statement): string {
  return [s.head.name, ...(s.assign ? ["="] : []), ...s.args.map(printArg)].join(" ");
}

export interface PrintOptions {
  /** Comments attached by attachComments; none when printing a generated tree. */
  readonly comments?: CommentMap;
  /** Whether to keep an empty line before `s` (never before a block's first line). */
  readonly blankLineBefore?: (s: Statement) => boolean;
}

export function printDocument(statements: readonly Statement[], opts: PrintOptions = {}): string {
  const comments = opts.comments ?? NO_COMMENTS;
  const printer = new Printer(comments, opts.blankLineBefore ?? (() => false));
  const sections = orderedSections(statements);
  const chunks = sections.map((s) => printer.statement(s, 0, undefined).join("\n"));
  const end = comments.end.map(commentText);
  const all = [...chunks, ...(end.length ? [end.join("\n")] : [])];
  return all.length ? `${all.join("\n\n")}\n` : "";
}

const commentText = (c: Comment): string => c.text.trimEnd();

class Printer {
  constructor(
    private readonly comments: CommentMap,
    private readonly blankBefore: (s: Statement) => boolean,
  ) {}

  /** Lines of one statement at `depth`; `section` is the top-level section it sits in. */
  statement(s: Statement, depth: number, section: string | undefined): string[] {
    const pad = INDENT.repeat(depth);
    const c = this.comments.of(s);
    const lines = c.leading.map((x) => pad + commentText(x));
    const trail = c.trailing.length ? ` ${c.trailing.map(commentText).join(" ")}` : "";
    const head = printHead(s);
    if (!s.block) {
      lines.push(pad + head + trail);
      return lines;
    }
    const inSection = section ?? s.head.name;
    const children = this.ordered(s, inSection);
    const inline = this.inlineBlock(s, children, depth, inSection);
    if (inline !== undefined) {
      lines.push(pad + inline + trail);
      return lines;
    }
    const open = c.open.length ? ` ${c.open.map(commentText).join(" ")}` : "";
    if (children.length === 0 && c.dangling.length === 0) {
      lines.push(`${pad}${head} {}${trail}`);
      return lines;
    }
    lines.push(`${pad}${head} {${open}`);
    children.forEach((child, i) => {
      if (i > 0 && this.blankBefore(child)) lines.push("");
      lines.push(...this.statement(child, depth + 1, inSection));
    });
    lines.push(...c.dangling.map((x) => pad + INDENT + commentText(x)));
    lines.push(`${pad}}${trail}`);
    return lines;
  }

  private ordered(s: Statement, section: string): readonly Statement[] {
    return orderedChildren(s, section);
  }

  /** One-line form of a nested leaf block, or undefined when the rules call for several lines. */
  private inlineBlock(s: Statement, children: readonly Statement[], depth: number, section: string): string | undefined {
    if (depth === 0 || section === "model" || children.length === 0) return undefined;
    const c = this.comments.of(s);
    if (c.open.length || c.dangling.length) return undefined;
    for (const child of children) {
      const cc = this.comments.of(child);
      if (child.block || cc.leading.length || cc.trailing.length) return undefined;
    }
    const text = `${printHead(s)} { ${children.map(printHead).join("; ")} }`;
    return INDENT.length * depth + text.length <= MAX_INLINE ? text : undefined;
  }
}
