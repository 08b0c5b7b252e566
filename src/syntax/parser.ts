/**
 * `parse(text)`: lex, parse with recovery, build the syntax tree. Never throws: every problem,
 * including an internal one, comes back as a diagnostic.
 */
import type { IToken, TokenType } from "chevrotain";
import { diagnostic, sortDiagnostics, type Diagnostic, type Span } from "../diagnostics.js";
import type { Comment, Document } from "./ast.js";
import { TreeBuilder, tokenSpan } from "./build.js";
import { ferParser, UNMATCHED_BRACE, UNMATCHED_BRACKET } from "./grammar.js";
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
  // Bracket problems found before parsing and the parser's own errors share one cap.
  const syntax: Diagnostic[] = [];
  const input = balanceBrackets(lexed.tokens, text, syntax);

  const parser = ferParser();
  parser.input = input;
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
 *     construct reads as an empty `{ }` or `[ ]` and what follows it parses as usual.
 * A close of the wrong kind while something is open is left to the parser, which reports it in
 * context ("expected ']' but found '}'").
 */
function balanceBrackets(tokens: readonly IToken[], text: string, syntax: Diagnostic[]): IToken[] {
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
