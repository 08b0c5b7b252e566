/**
 * `parse(text)`: lex, parse with recovery, build the syntax tree. Never throws: every problem,
 * including an internal one, comes back as a diagnostic.
 */
import type { IToken } from "chevrotain";
import { diagnostic, sortDiagnostics, type Diagnostic, type Span } from "../diagnostics.js";
import type { Comment, Document } from "./ast.js";
import { TreeBuilder, tokenSpan } from "./build.js";
import { ferParser } from "./grammar.js";
import { ferLexer, LBrace, LBracket, RBrace, RBracket, UnterminatedString } from "./lexer.js";

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

export function parse(text: string): ParseResult {
  try {
    return parseUnsafe(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const empty: Document = { statements: [], comments: [], span: spanAt(text, 0) };
    return { document: empty, diagnostics: [diagnostic("F0903", `internal parser error: ${message}`, spanAt(text, 0))] };
  }
}

function parseUnsafe(text: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const lexed = ferLexer.tokenize(text);
  for (const e of lexed.errors) {
    const span = spanAt(text, e.offset, e.length);
    diagnostics.push(diagnostic("F0001", e.message, span, "allowed: words, numbers, 3x3 sizes, \"strings\", { } [ ] , ; = and # comments"));
  }
  for (const t of lexed.tokens) {
    const span = t.tokenType === UnterminatedString ? tokenSpan(t) : undefined;
    if (span) diagnostics.push(diagnostic("F0002", "string is not closed on this line", span, 'add the closing "'));
  }
  const input = limitNesting(lexed.tokens, text, diagnostics);

  const parser = ferParser();
  parser.input = input;
  const cst = parser.document();
  let syntaxErrors = 0;
  for (const e of parser.errors) {
    if (++syntaxErrors > MAX_SYNTAX_ERRORS) continue;
    const span = tokenSpan(e.token) ?? spanAt(text, text.length);
    diagnostics.push(diagnostic("F0003", e.message, span, hintForSyntax(e.message)));
  }
  if (syntaxErrors > MAX_SYNTAX_ERRORS) {
    diagnostics.push(
      diagnostic("F0003", `${syntaxErrors - MAX_SYNTAX_ERRORS} more syntax errors not shown`, spanAt(text, text.length)),
    );
  }

  const builder = new TreeBuilder();
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
  return undefined;
}

/** Cuts the token stream at the first bracket nested deeper than MAX_NESTING. */
function limitNesting(tokens: IToken[], text: string, diagnostics: Diagnostic[]): IToken[] {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!.tokenType;
    if (t === LBrace || t === LBracket) depth++;
    else if (t === RBrace || t === RBracket) depth = Math.max(0, depth - 1);
    if (depth > MAX_NESTING) {
      const span = tokenSpan(tokens[i]!) ?? spanAt(text, 0);
      diagnostics.push(diagnostic("F0003", `nesting deeper than ${MAX_NESTING} levels`, span, "flatten the structure"));
      return tokens.slice(0, i);
    }
  }
  return tokens;
}
