/**
 * Diagnostics are data: a stable code, a severity, a message, a source span and an optional hint.
 * Every stage (lexer, parser, checker, expect, the backend preflight, reading the file) reports
 * this one type, so a file reports all of its problems in one pass and every command renders them
 * alike: the renderers (code frame, JSON, GitHub annotations) live in src/render/diagnostics.ts.
 */

import { CODES, isDiagnosticCode, type DiagnosticCode, type Phase } from "./codes.js";

/** A half-open range in the source text. Lines and columns are 1-based, offsets 0-based. */
export interface Span {
  /** @schema integer minimum=0 */
  readonly offset: number;
  /** @schema integer minimum=0 */
  readonly length: number;
  /** @schema integer minimum=1 */
  readonly line: number;
  /** @schema integer minimum=1 */
  readonly column: number;
  /** @schema integer minimum=1 */
  readonly endLine: number;
  /** @schema integer minimum=1 */
  readonly endColumn: number;
}

export type Severity = "error" | "warning" | "info";

export interface Diagnostic {
  /** Stable code, e.g. `F0102`. Documented in src/codes.ts (`ferc explain CODE`, docs/codes.md). */
  readonly code: string;
  readonly severity: Severity;
  /** Set from the code (CODES) by `diagnostic()`; never chosen by the reporting stage. */
  readonly phase: Phase;
  readonly message: string;
  readonly span: Span;
  /** What to do about it, e.g. `did you mean "conv"?`. */
  readonly hint?: string;
  /**
   * The file the span points into, once known: the checker works on text, so whoever read the
   * file attaches it (`inFile`). Renderers fall back to a label they are given.
   */
  readonly file?: string;
}

// The code table lives in src/codes.ts (with each code's explanation and example); re-exported
// here because every stage reports through this module.
export { CODES, PHASES, type CodeInfo, type DiagnosticCode, type Phase } from "./codes.js";

/** The phase of a code; an unregistered one (from an older record, say) counts as input. */
export function phaseOf(code: string): Phase {
  return isDiagnosticCode(code) ? CODES[code].phase : "input";
}

export function diagnostic(
  code: DiagnosticCode,
  message: string,
  span: Span,
  hint?: string,
  severity: Severity = "error",
): Diagnostic {
  const phase = CODES[code].phase;
  return hint === undefined ? { code, severity, phase, message, span } : { code, severity, phase, message, span, hint };
}

/**
 * A file that could not be read (F0901): no span to point at, so it sits at the file's start
 * (NO_SPAN); renderers given no source text show it without a code frame.
 */
export function fileError(file: string, message: string): Diagnostic {
  return { ...diagnostic("F0901", message, NO_SPAN), file };
}

/** The diagnostics with their file attached (those that already name one keep it). */
export function inFile(ds: readonly Diagnostic[], file: string): Diagnostic[] {
  return ds.map((d) => (d.file === undefined ? { ...d, file } : d));
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
  const lower = word.toLowerCase();
  for (const c of candidates) {
    // The distance is at least the difference in length: a candidate that far off cannot be
    // suggested, so the quadratic edit distance is not computed (a 10 MB word costs a loop).
    if (Math.abs(c.length - word.length) > limit) continue;
    const d = editDistance(lower, c.toLowerCase());
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
