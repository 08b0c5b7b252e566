/**
 * The fuzz oracle: what must hold for ANY text fed to the front end.
 *
 *   check   checkSource never throws, returns well-formed diagnostics (message, span inside the
 *           text whose line/column agree with its offset), never an internal error (F0903),
 *           `ok` agrees with the diagnostics and `spec` is present exactly when ok.
 *   format  never throws; a text with syntax errors comes back unchanged; otherwise the output is
 *           a fixed point (format(format(x)) = format(x)) and means the same: the checked IR is
 *           equal ignoring spans, or, for a text with errors, the same error codes come back.
 *   diff    diffSpecs(original, mutated) never throws and answers ok when both sides check;
 *           a valid text and its formatted version are equivalent.
 *   time    each call finishes within a bound.
 *
 * Used by test/fuzz/*.test.ts (short runs in CI) and src/fuzz/campaign.ts (long runs).
 */
import { checkSource, type CheckResult } from "../check/index.js";
import { hasErrors, type Diagnostic } from "../diagnostics.js";
import { diffSpecs, type DiffResult } from "../diff/index.js";
import { format, type FormatResult } from "../format/index.js";
import { FercError } from "../errors.js";

export interface Failure {
  /** Which property broke: check.throws, check.span, format.idempotent, diff.throws, time... */
  readonly property: string;
  readonly message: string;
  readonly input: string;
}

export interface OracleOptions {
  /** Per-call time bound in ms (default 2000: generous, the machine may be shared). */
  readonly timeLimitMs?: number;
  /** Also run diffSpecs(original, input) (default true when an original is given). */
  readonly diff?: boolean;
}

export interface Timings {
  /** Slowest single call seen so far, and the input that caused it. */
  slowestMs: number;
  slowestWhat: string;
  slowestInput: string;
}

export const timings: Timings = { slowestMs: 0, slowestWhat: "", slowestInput: "" };

class PropertyFailure extends FercError {
  readonly kind = "internal";
  constructor(
    readonly property: string,
    message: string,
  ) {
    super(message);
  }
}

function fail(property: string, message: string): never {
  throw new PropertyFailure(property, message);
}

function timed<T>(what: string, input: string, limit: number, f: () => T): T {
  const start = performance.now();
  let out: T;
  try {
    out = f();
  } catch (err) {
    const e = err instanceof Error ? `${err.name}: ${err.message}\n${(err.stack ?? "").split("\n").slice(1, 6).join("\n")}` : String(err);
    fail(`${what}.throws`, e);
  }
  const ms = performance.now() - start;
  if (ms > timings.slowestMs) Object.assign(timings, { slowestMs: ms, slowestWhat: what, slowestInput: input });
  if (ms > limit) fail(`${what}.time`, `${what} took ${ms.toFixed(0)} ms (limit ${limit} ms) on ${input.length} chars`);
  return out;
}

/** Line and column (1-based) of an offset, counting '\n' only (as the lexer does). */
export function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** A reason the diagnostic is malformed, or undefined. */
export function malformed(text: string, d: Diagnostic): string | undefined {
  if (!/^F\d{4}$/.test(d.code)) return `bad code ${JSON.stringify(d.code)}`;
  if (typeof d.message !== "string" || d.message.trim() === "") return `${d.code}: empty message`;
  if (d.hint !== undefined && (typeof d.hint !== "string" || d.hint.trim() === "")) return `${d.code}: empty hint`;
  const s = d.span;
  if (!s || ![s.offset, s.length, s.line, s.column, s.endLine, s.endColumn].every(Number.isInteger)) return `${d.code}: span has non-integers ${JSON.stringify(s)}`;
  if (s.offset < 0 || s.length < 0 || s.offset + s.length > text.length) return `${d.code} "${d.message}": span ${s.offset}+${s.length} outside text of ${text.length}`;
  const start = position(text, s.offset);
  if (start.line !== s.line || start.column !== s.column) return `${d.code} "${d.message}": span says ${s.line}:${s.column}, offset ${s.offset} is ${start.line}:${start.column}`;
  const end = position(text, s.offset + s.length);
  // A span that ends with the "\n" token may end on that line, one column past the newline.
  const last = s.length > 0 && text.charCodeAt(s.offset + s.length - 1) === 10 ? position(text, s.offset + s.length - 1) : undefined;
  const endsOnNewline = last !== undefined && s.endLine === last.line && s.endColumn === last.column + 1;
  if (!endsOnNewline && (end.line !== s.endLine || end.column !== s.endColumn)) return `${d.code} "${d.message}": span end says ${s.endLine}:${s.endColumn}, offset ${s.offset + s.length} is ${end.line}:${end.column}`;
  return undefined;
}

/** The IR without source positions (spans move when text is reformatted). */
export function withoutSpans(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutSpans);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    // Keys sorted: an optional setting enters the IR where its statement stands in the text, and
    // format moves statements into canonical order; the order of keys is not what the spec means.
    for (const [k, x] of Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (k === "span" || k === "spans" || (k === "open" && isSpan(x))) continue;
      out[k] = withoutSpans(x);
    }
    return out;
  }
  return v;
}

const isSpan = (x: unknown): boolean => x !== null && typeof x === "object" && "offset" in x && "length" in x && "line" in x;

const errorCodes = (ds: readonly Diagnostic[]): string => ds.filter((d) => d.severity === "error").map((d) => d.code).sort().join(" ");

/** An error that makes format refuse the text: a syntax error, or text over a limit (F0904). */
const isSyntax = (d: Diagnostic): boolean => d.severity === "error" && (d.phase === "syntax" || d.code === "F0904");

function checkProps(text: string, r: CheckResult, label: string): void {
  if (!r || !Array.isArray(r.diagnostics)) fail(`${label}.shape`, "no diagnostics array");
  for (const d of r.diagnostics) {
    if (d.code === "F0903") fail(`${label}.internal`, `${d.message}`);
    const bad = malformed(text, d);
    if (bad) fail(`${label}.span`, bad);
  }
  if (r.ok !== !hasErrors(r.diagnostics)) fail(`${label}.ok`, `ok=${r.ok} but diagnostics are ${errorCodes(r.diagnostics) || "clean"}`);
  if (r.ok !== (r.spec !== undefined)) fail(`${label}.ok`, `ok=${r.ok} but spec is ${r.spec ? "present" : "absent"}`);
}

/** Run every property on `text` (a mutation of `original`, when given); the first failure or undefined. */
export function examine(text: string, original?: string, opts: OracleOptions = {}): Failure | undefined {
  try {
    examineUnsafe(text, original, opts);
    return undefined;
  } catch (err) {
    if (err instanceof PropertyFailure) return { property: err.property, message: err.message, input: text };
    return { property: "oracle.throws", message: err instanceof Error ? (err.stack ?? err.message) : String(err), input: text };
  }
}

function examineUnsafe(text: string, original: string | undefined, opts: OracleOptions): void {
  const limit = opts.timeLimitMs ?? 2000;
  const checked = timed("check", text, limit, () => checkSource(text, "fuzz.fer"));
  checkProps(text, checked, "check");

  const f1: FormatResult = timed("format", text, limit, () => format(text));
  if (typeof f1?.output !== "string" || !Array.isArray(f1.diagnostics)) fail("format.shape", "no output string / diagnostics");
  for (const d of f1.diagnostics) {
    const bad = malformed(text, d);
    if (bad) fail("format.span", bad);
  }
  const syntaxErrors = checked.diagnostics.some(isSyntax);
  if (hasErrors(f1.diagnostics)) {
    if (f1.output !== text || f1.changed) fail("format.refuse", "a text with syntax errors must come back unchanged");
    if (!syntaxErrors) fail("format.refuse", `format refused (${errorCodes(f1.diagnostics)}) but check saw no syntax error`);
  } else {
    if (syntaxErrors) fail("format.accepts-broken", `check reports ${errorCodes(checked.diagnostics.filter(isSyntax))} but format formatted it`);
    const out = f1.output;
    if (f1.changed !== (out !== text)) fail("format.changed", `changed=${f1.changed} but output ${out === text ? "equals" : "differs from"} input`);
    const f2 = timed("format", out, limit, () => format(out));
    if (hasErrors(f2.diagnostics)) fail("format.reparse", `formatted output does not parse: ${f2.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column} ${d.message}`).join("; ")}\n--- output ---\n${out}`);
    if (f2.output !== out) fail("format.idempotent", `format is not a fixed point\n--- format(x) ---\n${out}\n--- format(format(x)) ---\n${f2.output}`);
    const again = timed("check", out, limit, () => checkSource(out, "fuzz.fer"));
    checkProps(out, again, "check(formatted)");
    if (checked.ok !== again.ok) fail("format.semantics", `ok changes from ${checked.ok} to ${again.ok}: ${errorCodes(checked.diagnostics)} -> ${errorCodes(again.diagnostics)}`);
    if (checked.ok) {
      const a = JSON.stringify(withoutSpans(checked.spec));
      const b = JSON.stringify(withoutSpans(again.spec));
      if (a !== b) fail("format.semantics", `checked IR changes after format\n--- before ---\n${a}\n--- after ---\n${b}`);
      const d: DiffResult = timed("diff", text, limit, () => diffSpecs(text, out));
      if (!d.ok || !d.equivalent) fail("diff.format", `diffSpecs(x, format(x)) is not equivalent: ${JSON.stringify({ settings: d.settings, layers: d.layers }).slice(0, 2000)}`);
    } else if (errorCodes(checked.diagnostics) !== errorCodes(again.diagnostics)) {
      fail("format.semantics", `errors change after format: ${errorCodes(checked.diagnostics)} -> ${errorCodes(again.diagnostics)}`);
    }
  }

  if (original !== undefined && opts.diff !== false) {
    const d: DiffResult = timed("diff", text, limit, () => diffSpecs(original, text));
    if (!d || typeof d.ok !== "boolean" || !Array.isArray(d.settings) || !Array.isArray(d.layers)) fail("diff.shape", "diffSpecs returned no result");
    const origOk = originalOk(original);
    if (origOk && checked.ok && !d.ok) fail("diff.ok", "both sides check but the diff is not ok");
    // A side whose only errors are failing expect assertions is still diffed, by design.
    const onlyExpect = (ds: readonly Diagnostic[]) => ds.every((x) => x.severity !== "error" || x.phase === "expect");
    if (d.ok && !(onlyExpect(d.old.diagnostics) && onlyExpect(d.new.diagnostics))) {
      fail("diff.ok", `diff ok although a side has errors: old ${errorCodes(d.old.diagnostics)}, new ${errorCodes(d.new.diagnostics)}`);
    }
    if (d.ok && !checked.ok && !onlyExpect(checked.diagnostics)) fail("diff.ok", `diff ok although the new side has ${errorCodes(checked.diagnostics)}`);
    if (d.ok && text === original && !d.equivalent) fail("diff.self", "a spec is not equivalent to itself");
  }
}

const okCache = new Map<string, boolean>();
function originalOk(text: string): boolean {
  let ok = okCache.get(text);
  if (ok === undefined) {
    if (okCache.size > 64) okCache.clear();
    ok = checkSource(text).ok;
    okCache.set(text, ok);
  }
  return ok;
}

/** A readable one-paragraph report of a failure. */
export function describeFailure(f: Failure, max = 600): string {
  const shown = f.input.length > max ? `${JSON.stringify(f.input.slice(0, max))}… (${f.input.length} chars)` : JSON.stringify(f.input);
  return `[${f.property}] ${f.message}\n  input: ${shown}`;
}
