/**
 * `parse(text)`: lex, parse with recovery, build the syntax tree. Never throws: every problem,
 * including an internal one, comes back as a diagnostic.
 */
import type { IToken, TokenType } from "chevrotain";
import { diagnostic, sortDiagnostics, type Diagnostic, type Span } from "../diagnostics.js";
import type { Comment, Document } from "./ast.js";
import { TreeBuilder, tokenSpan } from "./build.js";
import { ferParser, UNMATCHED_BRACE, UNMATCHED_BRACKET } from "./grammar.js";
import { ferLexer, LBrace, LBracket, Newline, RBrace, RBracket, Semi, UnterminatedString, Word } from "./lexer.js";
import { sizeLimit, tokenLimit } from "./limits.js";

export interface ParseResult {
  readonly document: Document;
  readonly diagnostics: Diagnostic[];
}

/** Blocks and lists nested deeper than this are refused before parsing (recursion guard). */
export const MAX_NESTING = 64;
/** More syntax errors than this in one file add nothing; the rest is summarised. */
const MAX_SYNTAX_ERRORS = 50;

export function spanAt(text: string, offset: number, length = 0): Span {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = offset - lineStart + 1;
  return { offset, length, line, column, endLine: line, endColumn: column + length };
}

/** A document with nothing in it, for text that was refused or could not be read. */
function emptyDocument(text: string): Document {
  return { statements: [], comments: [], span: spanAt(text, 0) };
}

export function parse(text: string): ParseResult {
  const tooLarge = sizeLimit(text.length);
  if (tooLarge) return { document: emptyDocument(""), diagnostics: [tooLarge] };
  try {
    return parseUnsafe(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { document: emptyDocument(text), diagnostics: [diagnostic("F0903", `internal parser error: ${message}`, spanAt(text, 0))] };
  }
}

function parseUnsafe(text: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const lexed = ferLexer.tokenize(text);
  const tooMany = tokenLimit(lexed.tokens.length + (lexed.groups["comments"]?.length ?? 0));
  if (tooMany) return { document: emptyDocument(text), diagnostics: [tooMany] };
  for (const e of lexed.errors.slice(0, MAX_SYNTAX_ERRORS)) {
    // The lexer knows the line and column: no rescan of the text per error.
    const column = e.column ?? 1;
    const span: Span = { offset: e.offset, length: e.length, line: e.line ?? 1, column, endLine: e.line ?? 1, endColumn: column + e.length };
    // `3×3` (a multiplication sign for the x) is a size mistyped, not a stray symbol.
    const hint = text[e.offset] === "\u00d7" ? "sizes are written with the letter x: 3x3" : "allowed: words, numbers, 3x3 sizes, \"strings\", { } [ ] , ; = and # comments";
    diagnostics.push(diagnostic("F0001", e.message, span, hint));
  }
  if (lexed.errors.length > MAX_SYNTAX_ERRORS) {
    const last = lexed.errors[MAX_SYNTAX_ERRORS]!;
    diagnostics.push(diagnostic("F0001", `${lexed.errors.length - MAX_SYNTAX_ERRORS} more unexpected characters not shown`, spanAt(text, last.offset)));
  }
  for (const t of lexed.tokens) {
    const span = t.tokenType === UnterminatedString ? tokenSpan(t) : undefined;
    if (span) diagnostics.push(diagnostic("F0002", "string is not closed on this line", span, 'add the closing "'));
  }
  // Bracket problems found before parsing and the parser's own errors share one cap.
  const syntax: Diagnostic[] = [];
  const elided = new Set<number>();
  const balanced = balanceBrackets(lexed.tokens, text, syntax, elided);
  // After too-deep nesting was cut out the indentation no longer tells where blocks end.
  const input = elided.size === 0 ? closeUnclosedBlocks(balanced, text, syntax) : balanced;

  const parser = ferParser();
  parser.input = input;
  parser.stopAfter(MAX_SYNTAX_ERRORS);
  const cst = parser.document();
  for (const e of parser.errors) {
    const span = tokenSpan(e.token) ?? spanAt(text, text.length);
    syntax.push(diagnostic("F0003", e.message, span, hintForSyntax(e.message)));
  }
  diagnostics.push(...sortDiagnostics(syntax).slice(0, MAX_SYNTAX_ERRORS));
  if (syntax.length > MAX_SYNTAX_ERRORS) {
    diagnostics.push(
      diagnostic("F0003", `${syntax.length - MAX_SYNTAX_ERRORS} more syntax errors not shown`, spanAt(text, text.length)),
    );
  }

  const builder = new TreeBuilder(elided);
  const statements = builder.statements(cst.children as Parameters<TreeBuilder["statements"]>[0]);
  diagnostics.push(...builder.diagnostics);
  const comments: Comment[] = (lexed.groups["comments"] ?? []).flatMap((t: IToken) => {
    const span = tokenSpan(t);
    return span ? [{ text: t.image, span }] : [];
  });
  const document: Document = { statements, comments, span: spanAt(text, 0, text.length) };
  return { document, diagnostics: sortDiagnostics(diagnostics) };
}

function hintForSyntax(message: string): string | undefined {
  if (message.startsWith("expected '}'")) return "a block opened with '{' is not closed";
  if (message.startsWith("expected ']'")) return "a list opened with '[' is not closed";
  if (message === UNMATCHED_BRACE) return "remove it: no block is open here";
  if (message === UNMATCHED_BRACKET) return "remove it: no list is open here";
  return undefined;
}

/**
 * Pairs brackets before parsing, so that two kinds of mistake cost one diagnostic each and the
 * rest of the file is still parsed and checked:
 *   - a closing bracket with nothing open (an extra `}` after the last section) is reported as
 *     unmatched, with its own span, and dropped; the parser would otherwise stop there;
 *   - an opening bracket nested deeper than MAX_NESTING (the parser recurses per level) is
 *     reported once and everything up to its matching close is dropped, keeping the pair, so the
 *     construct reads as an empty `{ }` or `[ ]` and what follows it parses as usual; the
 *     offset of such a bracket goes into `elided`, so that the block is not taken for one the
 *     author left empty.
 * A close of the wrong kind while something is open is left to the parser, which reports it in
 * context ("expected ']' but found '}'").
 */
function balanceBrackets(tokens: readonly IToken[], text: string, syntax: Diagnostic[], elided: Set<number>): IToken[] {
  const out: IToken[] = [];
  const open: TokenType[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const t = tok.tokenType;
    if (t === LBrace || t === LBracket) {
      out.push(tok);
      if (open.length < MAX_NESTING) {
        open.push(t);
        continue;
      }
      elided.add(tok.startOffset);
      syntax.push(diagnostic("F0003", `nesting deeper than ${MAX_NESTING} levels`, tokenSpan(tok) ?? spanAt(text, 0), "flatten the structure; what is inside this bracket was not checked"));
      // Skip to the matching close (to the end of the file when there is none). Iterative, so
      // 10,000 levels cost a loop, not a stack.
      let depth = 1;
      while (depth > 0 && ++i < tokens.length) {
        const u = tokens[i]!.tokenType;
        if (u === LBrace || u === LBracket) depth++;
        else if (u === RBrace || u === RBracket) depth--;
      }
      if (i < tokens.length) out.push(tokens[i]!);
    } else if (t === RBrace || t === RBracket) {
      const at = open.lastIndexOf(t === RBrace ? LBrace : LBracket);
      if (at >= 0) {
        open.length = at;
        out.push(tok);
      } else if (open.length === 0) {
        const message = t === RBrace ? UNMATCHED_BRACE : UNMATCHED_BRACKET;
        syntax.push(diagnostic("F0003", message, tokenSpan(tok) ?? spanAt(text, 0), hintForSyntax(message)));
      } else out.push(tok);
    } else out.push(tok);
  }
  return out;
}

interface Opener {
  /** Index of the `{` in the token list. */
  readonly at: number;
  /** Indentation (0-based column) of the line the block opens on. */
  readonly indent: number;
}

/**
 * A block whose `}` is missing swallows everything after it: the next section reads as a layer,
 * the spec then lacks that section, and the parser complains only at the end of the file. The
 * indentation shows where the block was meant to end, so when the braces do not balance:
 *   - a `}` that starts its line closes the open block indented as that line; the blocks opened
 *     inside it and still open are the ones left unclosed;
 *   - at the end of the file every block still open is unclosed.
 * An unclosed block gets one diagnostic naming it and the line it opened on, and a `}` is put
 * where it ends: before the first line after it indented no deeper than its own opening line
 * (else where the problem was found), so the rest of the file is parsed and checked as meant.
 * A file whose braces balance is left alone, however it is indented.
 */
function closeUnclosedBlocks(tokens: readonly IToken[], text: string, syntax: Diagnostic[]): IToken[] {
  // Stray closes are gone already (balanceBrackets), so the braces balance unless some `{` is
  // never closed; only then is the indentation consulted.
  let open = 0;
  for (const t of tokens) open += t.tokenType === LBrace ? 1 : t.tokenType === RBrace && open > 0 ? -1 : 0;
  if (open === 0) return [...tokens];
  const lineStart = (i: number): boolean => i === 0 || tokens[i - 1]!.tokenType === Newline;
  // Indentation of each token's line, in one pass (a line may hold thousands of braces).
  const lineIndent: number[] = [];
  for (let i = 0; i < tokens.length; i++) lineIndent.push(lineStart(i) ? (tokens[i]!.startColumn ?? 1) - 1 : lineIndent[i - 1]!);
  const indentOf = (i: number): number => lineIndent[i]!;
  const inserts = new Map<number, IToken[]>();
  const close = (o: Opener, limit: number): void => {
    const end = blockEnd(tokens, o, limit, lineStart);
    const open = tokens[o.at]!;
    const head = headOf(tokens, o.at);
    const where = end < tokens.length ? `before line ${tokens[end]!.startLine}` : "at the end of the file";
    const why = end < limit ? " (judging by the indentation)" : "";
    const name = head ? `${head} block` : "block";
    syntax.push(diagnostic("F0003", `${name} opened on line ${open.startLine} is not closed`, tokenSpan(open) ?? spanAt(text, 0), `add '}' ${where}${why}`));
    const at = tokens[end];
    const base = at ?? tokens[tokens.length - 1] ?? open;
    const offset = at ? at.startOffset : text.length;
    const synthetic: IToken = { ...base, image: "}", startOffset: offset, endOffset: offset - 1, tokenType: RBrace, tokenTypeIdx: RBrace.tokenTypeIdx!, isInsertedInRecovery: true };
    const list = inserts.get(end) ?? [];
    list.push(synthetic);
    inserts.set(end, list);
  };

  const stack: Opener[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!.tokenType;
    if (t === LBrace) stack.push({ at: i, indent: indentOf(i) });
    else if (t === RBrace && stack.length > 0) {
      const indent = lineStart(i) ? (tokens[i]!.startColumn ?? 1) - 1 : undefined;
      const match = indent === undefined ? -1 : findLastIndex(stack, (o) => o.indent === indent);
      if (match >= 0 && stack[stack.length - 1]!.indent > indent!) {
        while (stack.length - 1 > match) close(stack.pop()!, i);
      }
      stack.pop();
    }
  }
  while (stack.length > 0) close(stack.pop()!, tokens.length);
  if (inserts.size === 0) return [...tokens];
  const out: IToken[] = [];
  for (let i = 0; i <= tokens.length; i++) {
    out.push(...(inserts.get(i) ?? []));
    if (i < tokens.length) out.push(tokens[i]!);
  }
  return out;
}

/** Where an unclosed block ends: the first line after it, at its own depth, indented no deeper. */
function blockEnd(tokens: readonly IToken[], o: Opener, limit: number, lineStart: (i: number) => boolean): number {
  const openLine = tokens[o.at]!.startLine;
  // Content right after the `{` shows the block's body starts there; otherwise the first line of
  // the body must be indented deeper than the `{` line, or the indentation tells nothing.
  const sameLineBody = o.at + 1 < limit && tokens[o.at + 1]!.tokenType !== Newline;
  let depth = 0;
  let first = true;
  for (let i = o.at + 1; i < limit; i++) {
    const tok = tokens[i]!;
    if (tok.tokenType === LBrace) depth++;
    else if (tok.tokenType === RBrace) depth--;
    if (depth !== 0 || tok.tokenType === Newline || tok.tokenType === RBrace || !lineStart(i) || tok.startLine === openLine) continue;
    const shallow = (tok.startColumn ?? 1) - 1 <= o.indent;
    if (shallow) return first && !sameLineBody ? limit : i;
    first = false;
  }
  return limit;
}

/** The head word of the statement whose block opens at `at`, for naming it. */
function headOf(tokens: readonly IToken[], at: number): string | undefined {
  let i = at - 1;
  while (i > 0 && ![Newline, Semi, LBrace, RBrace].includes(tokens[i - 1]!.tokenType)) i--;
  const head = tokens[i];
  return head && head.tokenType === Word && i < at ? head.image : undefined;
}

function findLastIndex<T>(xs: readonly T[], p: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (p(xs[i]!)) return i;
  return -1;
}
