/**
 * Tokens of the `.fer` language. The token set is small and fixed: words, numbers (with an
 * optional unit suffix), dimension literals, strings, comparison operators and punctuation.
 * Which words mean what is decided by the checker's schemas, not here.
 */
import type { TokenType } from "chevrotain";
import { createToken, Lexer } from "./chevrotain.js";

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /[ \t\r\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: "Comment", pattern: /(?:#|\/\/)[^\n]*/, group: "comments" });
export const Newline = createToken({ name: "Newline", pattern: /\n/, line_breaks: true, label: "end of line" });
export const Semi = createToken({ name: "Semi", pattern: /;/, label: "';'" });
export const LBrace = createToken({ name: "LBrace", pattern: /\{/, label: "'{'" });
export const RBrace = createToken({ name: "RBrace", pattern: /\}/, label: "'}'" });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/, label: "']'" });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "','" });
export const Compare = createToken({ name: "Compare", pattern: /[<>]=?|==/, label: "comparison" });
export const Equals = createToken({ name: "Equals", pattern: /=/, label: "'='" });
export const StringLit = createToken({ name: "StringLit", pattern: /"(?:[^"\\\n]|\\[^\n])*"/, label: "string" });
/** An opening quote with no closing quote on the line; the AST step reports it (F0002). */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\n]|\\[^\n])*/,
  label: "unterminated string",
});
/** `3x3`, `48x48x1`: must come before Number so `3x3` is not a number with a unit. */
export const Dims = createToken({ name: "Dims", pattern: /\d+(?:x\d+)+(?![A-Za-z0-9_.])/, label: "dimensions" });
/**
 * A number with an optional suffix of letters or `%`: `128`, `0.25`, `1e-3`, `40deg`, `0.2rad`.
 * The suffix is taken greedily so `3abc` is one (malformed) token the checker can name, rather
 * than a number followed by a surprising word.
 */
export const NumberLit = createToken({
  name: "NumberLit",
  pattern: /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:(?![eE][+-]?\d)[A-Za-z%][A-Za-z0-9_%]*)?/,
  label: "number",
});
export const Word = createToken({ name: "Word", pattern: /[A-Za-z_][A-Za-z0-9_\-.]*/, label: "word" });

export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  Comment,
  Newline,
  Semi,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  Comma,
  Compare,
  Equals,
  StringLit,
  UnterminatedString,
  Dims,
  NumberLit,
  Word,
];

export const ferLexer = new Lexer(ALL_TOKENS, {
  positionTracking: "full",
  ensureOptimizations: false,
  // Lines end at "\n" only (as spanAt counts them); "\r" is whitespace, so CRLF files keep their line numbers.
  lineTerminatorsPattern: /\n/g,
  lineTerminatorCharacters: ["\n"],
  // Lexer errors are turned into F0001 diagnostics by parse(); no console output.
  errorMessageProvider: {
    buildUnexpectedCharactersMessage: (text, offset, length) =>
      `unexpected character ${JSON.stringify(text.slice(offset, offset + length))}`,
    buildUnableToPopLexerModeMessage: () => "internal lexer error",
  },
});
