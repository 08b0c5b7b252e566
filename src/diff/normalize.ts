/**
 * Spans say where something was written, not what it means; comparing two specs for meaning
 * (fmt's semantic-preservation check, diff's equivalence) needs them gone.
 */

/** A deep copy of plain JSON-like data without any `span` (or `open`) position fields. */
export function withoutSpans<T>(value: T): T {
  return strip(value) as T;
}

function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === "span" || (k === "open" && isSpan(x))) continue;
      out[k] = strip(x);
    }
    return out;
  }
  return v;
}

function isSpan(x: unknown): boolean {
  return x !== null && typeof x === "object" && "offset" in x && "line" in x;
}
