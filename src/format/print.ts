/**
 * The printer: syntax tree → canonical `.fer` text. One node type (the statement) makes this a
 * small recursive function; the layout rules are:
 *   - 2-space indentation, single spaces, `key = value` arguments, `[a, b]` lists;
 *   - top-level sections in canonical order, one blank line between them, always multi-line;
 *   - one statement per line inside blocks, except a nested leaf block outside `model` (e.g.
 *     `split { ... }`, `clean { ... }`) with no comments that fits in MAX_INLINE columns: that
 *     one is printed on one line with `; ` separators. The rule depends only on the tree, so the
 *     output is a fixed point (fmt(fmt(x)) == fmt(x));
 *   - one blank line is kept where the author left one (or more) between statements in a block;
 *   - trailing comments of a run of one-line statements in a block (no blank line, comment line
 *     or multi-line statement between them) are aligned one space past the longest of their
 *     lines, so a column of comments stays a column; a lone trailing comment gets one space.
 */
import type { Arg, Comment, Statement, Value } from "../syntax/ast.js";
import type { CommentMap } from "./comments.js";
import { formatNumber } from "../syntax/numbers.js";
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
  const chunks = sections.map((s) => render(printer.statement(s, 0, undefined)));
  const end = comments.end.map(commentText);
  const all = [...chunks, ...(end.length ? [end.join("\n")] : [])];
  return all.length ? `${all.join("\n\n")}\n` : "";
}

const commentText = (c: Comment): string => c.text.trimEnd();

/** A printed line and the trailing comment that goes after it (aligned per block, see above). */
interface Line {
  readonly code: string;
  readonly comment?: string;
  /** Set on the one line of a one-line statement: such lines form alignment runs. */
  readonly single?: true;
}

const render = (lines: readonly Line[]): string => lines.map((l) => (l.comment ? `${l.code} ${l.comment}` : l.code)).join("\n");

/** Pads the code of commented lines in one run so their comments start in one column. */
function align(run: readonly Line[]): Line[] {
  const commented = run.filter((l) => l.comment);
  if (commented.length < 2) return [...run];
  const width = Math.max(...commented.map((l) => l.code.length));
  return run.map((l) => (l.comment ? { ...l, code: l.code.padEnd(width) } : l));
}

class Printer {
  constructor(
    private readonly comments: CommentMap,
    private readonly blankBefore: (s: Statement) => boolean,
  ) {}

  /** Lines of one statement at `depth`; `section` is the top-level section it sits in. */
  statement(s: Statement, depth: number, section: string | undefined): Line[] {
    const pad = INDENT.repeat(depth);
    const c = this.comments.of(s);
    const lines: Line[] = c.leading.map((x) => ({ code: pad + commentText(x) }));
    const trail = c.trailing.length ? { comment: c.trailing.map(commentText).join(" ") } : {};
    const head = printHead(s);
    if (!s.block) {
      lines.push({ code: pad + head, ...trail, single: true });
      return lines;
    }
    const inSection = section ?? s.head.name;
    const children = this.ordered(s, inSection);
    const inline = this.inlineBlock(s, children, depth, inSection);
    if (inline !== undefined) {
      lines.push({ code: pad + inline, ...trail, single: true });
      return lines;
    }
    const open = c.open.length ? ` ${c.open.map(commentText).join(" ")}` : "";
    if (children.length === 0 && c.dangling.length === 0) {
      lines.push({ code: `${pad}${head} {}`, ...trail, single: true });
      return lines;
    }
    lines.push({ code: `${pad}${head} {${open}` });
    let run: Line[] = [];
    const flush = (): void => {
      lines.push(...align(run));
      run = [];
    };
    children.forEach((child, i) => {
      const printed = this.statement(child, depth + 1, inSection);
      const last = printed[printed.length - 1]!;
      const blank = i > 0 && this.blankBefore(child);
      // Only a one-line statement joins the run; leading comment lines end it, and the
      // statement after them starts the next one.
      if (blank || printed.length !== 1 || !last.single) flush();
      if (blank) lines.push({ code: "" });
      if (last.single) {
        lines.push(...printed.slice(0, -1));
        run.push(last);
      } else lines.push(...printed);
    });
    flush();
    lines.push(...c.dangling.map((x) => ({ code: pad + INDENT + commentText(x) })));
    lines.push({ code: `${pad}}`, ...trail });
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
