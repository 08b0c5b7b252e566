/**
 * Line and column of offsets in a YAML text, from the text itself. The yaml package's LineCounter
 * learns line starts only as far as its lexer got, so past an error it placed later offsets on
 * the wrong line (the fuzz campaign found spans whose line:col did not match their offset, and
 * error positions one past the end of the text). Here every line start is known up front, and
 * offsets are clamped to the text.
 */
import type { Span } from "../diagnostics.js";

/** offset, length -> Span, 1-based lines and columns counting "\n" only (as the .fer lexer does). */
export function spanIndex(text: string): (offset: number, length: number) => Span {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  const pos = (offset: number): { line: number; col: number } => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo]! + 1 };
  };
  return (offset, length) => {
    const from = Math.max(0, Math.min(offset, text.length));
    const to = Math.max(from, Math.min(from + Math.max(0, length), text.length));
    const a = pos(from), b = pos(to);
    return { offset: from, length: to - from, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  };
}
