/**
 * The corpus of broken specs: each file in test/corpus/broken declares, in its header comments,
 * exactly which errors the checker must report and where:
 *
 *   # expect: F0102 12:5          one line per expected error (code line:column), the exact set
 *   # warning: F0203 4:25         likewise for warnings (none unless listed)
 *   # hint: F0102 conv2d -> conv  the F0102 diagnostic whose span contains `conv2d` has a hint
 *                                 naming "conv" (did-you-mean)
 *   # known-bug: why              the checker is wrong here today; the expectations describe the
 *                                 right behaviour and the case runs as `it.fails` until it is fixed
 *
 * Whatever the file, every diagnostic must have a message and a span that lies inside the file
 * and agrees with its own line/column bookkeeping. Files in test/corpus/valid must check clean.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import type { Diagnostic } from "../../src/diagnostics.js";
import { format } from "../../src/format/index.js";

const DIR = join(import.meta.dirname, "broken");
const VALID_DIR = join(import.meta.dirname, "valid");

interface HintRule {
  readonly code: string;
  readonly word: string;
  readonly target: string;
}

interface CorpusFile {
  readonly name: string;
  readonly text: string;
  readonly expected: string[];
  readonly warnings: string[];
  readonly hints: HintRule[];
  readonly knownBug?: string;
}

function load(name: string): CorpusFile {
  const text = readFileSync(join(DIR, name), "utf8");
  const expected: string[] = [];
  const warnings: string[] = [];
  const hints: HintRule[] = [];
  let knownBug: string | undefined;
  for (const line of text.split("\n")) {
    if (!line.startsWith("#")) break;
    let m = /^# expect: (F\d{4}) (\d+):(\d+)\s*$/.exec(line);
    if (m) expected.push(`${m[1]} ${m[2]}:${m[3]}`);
    m = /^# warning: (F\d{4}) (\d+):(\d+)\s*$/.exec(line);
    if (m) warnings.push(`${m[1]} ${m[2]}:${m[3]}`);
    m = /^# hint: (F\d{4}) (\S+) -> (\S+)\s*$/.exec(line);
    if (m) hints.push({ code: m[1]!, word: m[2]!, target: m[3]! });
    m = /^# known-bug: (.+)$/.exec(line);
    if (m) knownBug = m[1]!;
    if (/^# (expect|hint|warning)/.test(line) && !/^# (expect|warning): F\d{4} \d+:\d+\s*$|^# hint: F\d{4} \S+ -> \S+\s*$/.test(line)) {
      throw new Error(`${name}: malformed header line: ${line}`);
    }
  }
  return { name, text, expected: expected.sort(), warnings: warnings.sort(), hints, ...(knownBug ? { knownBug } : {}) };
}

/** Line and column (1-based) of an offset, counting '\n' only, as the lexer does. */
export function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** Every diagnostic is well formed: a stable code, a message, a span inside the text. */
export function assertWellFormed(text: string, ds: readonly Diagnostic[], label = ""): void {
  for (const d of ds) {
    const where = `${label} ${d.code} ${d.span.line}:${d.span.column} ${JSON.stringify(d.message)}`;
    expect(d.code, where).toMatch(/^F\d{4}$/);
    expect(["error", "warning", "info"], where).toContain(d.severity);
    expect(d.message.trim().length, where).toBeGreaterThan(0);
    if (d.hint !== undefined) expect(d.hint.trim().length, where).toBeGreaterThan(0);
    const { offset, length } = d.span;
    expect(Number.isInteger(offset) && Number.isInteger(length), where).toBe(true);
    expect(offset, where).toBeGreaterThanOrEqual(0);
    expect(length, where).toBeGreaterThanOrEqual(0);
    expect(offset + length, where).toBeLessThanOrEqual(text.length);
    expect({ line: d.span.line, column: d.span.column }, where).toEqual(position(text, offset));
    expect({ line: d.span.endLine, column: d.span.endColumn }, where).toEqual(position(text, offset + length));
  }
}

const keysOf = (severity: Diagnostic["severity"], ds: readonly Diagnostic[]) =>
  ds.filter((d) => d.severity === severity).map((d) => `${d.code} ${d.span.line}:${d.span.column}`).sort();
const errorKeys = (ds: readonly Diagnostic[]) => keysOf("error", ds);

const files = readdirSync(DIR).filter((f) => f.endsWith(".fer")).sort().map(load);

describe("broken corpus", () => {
  it("has at least 45 specs, each declaring what it expects", () => {
    expect(files.length).toBeGreaterThanOrEqual(45);
    for (const f of files) expect(f.expected.length, f.name).toBeGreaterThan(0);
  });

  it("has a file with several errors in different sections", () => {
    const multi = files.filter((f) => f.name.startsWith("multi-"));
    expect(multi.some((f) => f.expected.length >= 5)).toBe(true);
  });

  for (const f of files) {
    describe(f.name, () => {
      const r = checkSource(f.text, f.name);

      it("reports well-formed diagnostics and no internal error", () => {
        assertWellFormed(f.text, r.diagnostics, f.name);
        expect(r.diagnostics.filter((d) => d.code === "F0903")).toEqual([]);
      });

      const exact = () => {
        expect(r.ok).toBe(false);
        expect(r.spec).toBeUndefined();
        expect(errorKeys(r.diagnostics)).toEqual(f.expected);
        expect(keysOf("warning", r.diagnostics)).toEqual(f.warnings);
        for (const h of f.hints) {
          const d = r.diagnostics.find((x) => x.code === h.code && f.text.slice(x.span.offset, x.span.offset + x.span.length).includes(h.word));
          expect(d, `${h.code} at "${h.word}"`).toBeDefined();
          expect(d!.hint ?? "", `${h.code} at "${h.word}"`).toContain(`"${h.target}"`);
        }
      };
      if (f.knownBug) it.fails(`expected diagnostics (known bug: ${f.knownBug})`, exact);
      else it("reports exactly the expected errors and hints", exact);

      it("formats without throwing; semantic errors survive formatting", () => {
        const out = format(f.text);
        expect(typeof out.output).toBe("string");
        assertWellFormed(f.text, out.diagnostics, `${f.name} (format)`);
        const syntax = r.diagnostics.some((d) => d.severity === "error" && d.phase === "syntax");
        if (syntax) {
          expect(out.output).toBe(f.text);
          return;
        }
        const codes = (ds: readonly Diagnostic[]) => ds.filter((d) => d.severity === "error").map((d) => d.code).sort();
        expect(codes(checkSource(out.output, f.name).diagnostics)).toEqual(codes(r.diagnostics));
      });
    });
  }
});

describe("valid corpus", () => {
  const valid = readdirSync(VALID_DIR).filter((f) => f.endsWith(".fer")).sort();
  it("is not empty", () => expect(valid.length).toBeGreaterThan(0));
  for (const name of valid) {
    it(`${name} checks clean`, () => {
      const text = readFileSync(join(VALID_DIR, name), "utf8");
      const r = checkSource(text, name);
      expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(r.ok).toBe(true);
      expect(r.spec).toBeDefined();
      assertWellFormed(text, r.diagnostics, name);
    });
  }
});
