/**
 * `format(text)`: the canonical layout of a `.fer` document (see print.ts for the rules). A file
 * with syntax errors is returned unchanged with its diagnostics: printing a recovered tree would
 * silently drop whatever the parser could not build.
 */
import { hasErrors, type Diagnostic } from "../diagnostics.js";
import type { Document, Statement } from "../syntax/ast.js";
import { parse } from "../syntax/parser.js";
import { attachComments, type CommentMap } from "./comments.js";
import { printDocument } from "./print.js";

export interface FormatResult {
  /** The formatted text, or the input unchanged when it has syntax errors. */
  readonly output: string;
  readonly diagnostics: readonly Diagnostic[];
  /** True when the text was formatted and the result differs from the input. */
  readonly changed: boolean;
}

export function format(text: string): FormatResult {
  const { document, diagnostics } = parse(text);
  if (hasErrors(diagnostics)) return { output: text, diagnostics, changed: false };
  const output = formatDocument(document, text);
  return { output, diagnostics, changed: output !== text };
}

/**
 * Canonical `.fer` text of a syntax tree whose spans point into `source` (the `.fer` text, or
 * the YAML text for a tree read by fromYaml): comments and blank lines are placed by position.
 */
export function formatDocument(document: Document, source: string): string {
  const comments = attachComments(document, source);
  return printDocument(document.statements, { comments, blankLineBefore: blankLines(document, comments) });
}

/** Which statements had an empty line before them in the source. */
export function blankLines(document: Document, comments: CommentMap): (s: Statement) => boolean {
  const blank = new Set<Statement>();
  const visit = (ss: readonly Statement[]): void => {
    ss.forEach((s, i) => {
      if (blankLineBetween(ss[i - 1], s, comments.of(s).leading[0]?.span.line)) blank.add(s);
      if (s.block) visit(s.block.statements);
    });
  };
  visit(document.statements);
  return (s) => blank.has(s);
}

/**
 * The author left an empty line between `s` (or its first leading comment) and the statement
 * before it in the source. The blank line belongs to `s`, so it moves with s when settings are
 * put in canonical order, which keeps the result a fixed point.
 */
function blankLineBetween(previous: Statement | undefined, s: Statement, firstCommentLine: number | undefined): boolean {
  if (!previous) return false;
  const start = Math.min(firstCommentLine ?? s.span.line, s.span.line);
  return start - previous.span.endLine >= 2;
}

export { printDocument, printHead, printValue, quote } from "./print.js";
export { formatNumber } from "../syntax/numbers.js";
