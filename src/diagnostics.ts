/**
 * Diagnostics are data: a stable code, a severity, a message, a source span and an optional hint.
 * Every stage (lexer, parser, checker, expect) appends to one list so a file reports all of its
 * problems in one pass. Renderers (code frame, JSON, GitHub annotations) live in src/cli/render.ts.
 */

/** A half-open range in the source text. Lines and columns are 1-based, offsets 0-based. */
export interface Span {
  readonly offset: number;
  readonly length: number;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export type Severity = "error" | "warning" | "info";

export interface Diagnostic {
  /** Stable code, e.g. `F0102`. Documented in README ("Diagnostic codes"). */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  /** What to do about it, e.g. `did you mean "conv"?`. */
  readonly hint?: string;
}

/**
 * Code ranges:
 *   F00xx lexical and syntax errors          F01xx names and structure (sections, statements)
 *   F02xx values and ranges                   F03xx shapes and parameters
 *   F04xx training policy and compatibility   F05xx expect assertions
 *   F06xx resource limits                     F09xx internal / input (file unreadable, YAML)
 */
export const CODES = {
  // syntax
  F0001: "unexpected character",
  F0002: "unterminated string",
  F0003: "syntax error",
  F0004: "malformed number or unit",
  // names and structure
  F0101: "unknown section",
  F0102: "unknown statement or layer",
  F0103: "duplicate section",
  F0104: "missing required section",
  F0105: "missing spec name",
  F0106: "unknown option",
  F0107: "duplicate setting",
  F0108: "missing required setting",
  F0109: "unknown name",
  F0110: "statement does not take a block",
  F0111: "statement requires a block",
  F0112: "too many arguments",
  F0113: "layer name reused",
  F0114: "empty block",
  // values and ranges
  F0201: "wrong value type",
  F0202: "value out of range",
  F0203: "unknown enum value",
  F0204: "wrong unit",
  F0205: "repeat list length mismatch",
  F0206: "class list invalid",
  // shapes and parameters
  F0301: "dimension collapses below 1",
  F0302: "layer needs a different input rank",
  F0303: "output units do not match classes",
  F0304: "residual branch shape mismatch",
  F0305: "input shape invalid",
  F0306: "model is empty",
  // policy and compatibility
  F0401: "loss and output activation disagree",
  F0402: "monitor metric unknown",
  F0403: "backend lacks a kernel",
  F0404: "setting incompatible with another",
  F0405: "a choice uses the test split",
  // expect
  F0501: "expected parameter count differs",
  F0502: "expected shape differs",
  F0503: "expect names unknown layer",
  // limits
  F0601: "tensor too large",
  // sweeps
  F0701: "unknown sweep setting",
  F0702: "sweep value does not check",
  F0703: "sweep trial does not check",
  F0704: "sweep too large",
  // input
  F0901: "cannot read file",
  F0902: "YAML error",
  F0903: "internal error",
} as const;

export type DiagnosticCode = keyof typeof CODES;

export function diagnostic(
  code: DiagnosticCode,
  message: string,
  span: Span,
  hint?: string,
  severity: Severity = "error",
): Diagnostic {
  return hint === undefined ? { code, severity, message, span } : { code, severity, message, span, hint };
}

export const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === "error");

/** Sorted by position then code, so output order never depends on which stage found what. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) => a.span.offset - b.span.offset || a.code.localeCompare(b.code) || a.message.localeCompare(b.message),
  );
}

/**
 * Drops exact repeats (same code, span, message and severity), keeping the first. A statement
 * inside `repeat 3 { ... }` is checked once per iteration, and a mistake that does not depend on
 * the iteration (a typo, a bad option) would otherwise be reported three times at one place.
 */
export function uniqueDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = `${d.code}\u0000${d.severity}\u0000${d.span.offset}:${d.span.length}\u0000${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A span covering `from` through `to`. */
export function joinSpans(from: Span, to: Span): Span {
  return {
    offset: from.offset,
    length: Math.max(0, to.offset + to.length - from.offset),
    line: from.line,
    column: from.column,
    endLine: to.endLine,
    endColumn: to.endColumn,
  };
}

export const NO_SPAN: Span = { offset: 0, length: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };

/**
 * Edit distance for "did you mean" hints: optimal string alignment (restricted Damerau), so a
 * swapped pair of adjacent letters (`rleu` for `relu`, `adma` for `adam`) counts as one edit,
 * as it is one slip of the fingers, rather than the two substitutions plain Levenshtein charges.
 */
export function editDistance(a: string, b: string): number {
  // Three rolling rows: the transposition step looks two rows back.
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length]!;
}

/** The closest candidate within a distance that scales with the word, or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  const limit = Math.max(1, Math.floor(word.length / 3));
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDist || (d === bestDist && best !== undefined && c < best)) {
      best = c;
      bestDist = d;
    }
  }
  return bestDist <= limit ? best : undefined;
}

export function hintFor(word: string, candidates: Iterable<string>): string | undefined {
  const m = didYouMean(word, candidates);
  return m === undefined ? undefined : `did you mean "${m}"?`;
}
