/**
 * Hostile spec text: every input is answered with diagnostics in bounded time and memory, and a
 * text over a limit is refused whole with one diagnostic (F0904) saying which limit, instead of
 * seconds to minutes of work and gigabytes (issue 23, item 4) or a stack overflow (deep YAML).
 */
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import { checkAny } from "../../src/check/any.js";
import { hintFor, type Diagnostic } from "../../src/diagnostics.js";
import { checkDataset } from "../../src/sections/dataset.js";
import type { Statement } from "../../src/syntax/ast.js";
import { renderDiagnostics } from "../../src/render/diagnostics.js";
import { MAX_SPEC_CHARS, MAX_TOKENS } from "../../src/syntax/limits.js";
import { parse } from "../../src/syntax/parser.js";
import { createRng } from "../../src/util/rng.js";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSpecFile } from "../../src/cli/load.js";

const HEAD = `spec x
dataset d {
  source synthetic count 100 seed 1
  input 48x48x1
  classes CLASSES
}
model { flatten; dense 7 softmax }
train { optimizer adam; loss categorical-crossentropy; batch 32; epochs 1 }
`;

const codes = (ds: readonly { code: string }[]): string[] => ds.map((d) => d.code);

/** Wall time of `f` in ms, and its result. */
function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, performance.now() - t0];
}

describe("spec text over a limit is refused whole, with one diagnostic", () => {
  it("more characters than MAX_SPEC_CHARS (a megabyte of blank lines): F0904 alone, at once", () => {
    const text = `spec x\n${"\n".repeat(MAX_SPEC_CHARS)}`;
    const [r, ms] = timed(() => checkSource(text));
    expect(codes(r.diagnostics)).toEqual(["F0904"]);
    expect(r.diagnostics[0]!.message).toMatch(/the spec is 1,048,583 characters, more than the 1,048,576 ferc reads/);
    expect(r.ok).toBe(false);
    expect(ms).toBeLessThan(2000);
  });

  it("more tokens than MAX_TOKENS within the size limit: F0904 naming the count", () => {
    const text = `spec x\n${"; ".repeat(MAX_TOKENS + 10)}`;
    expect(text.length).toBeLessThan(MAX_SPEC_CHARS);
    const r = checkSource(text);
    expect(codes(r.diagnostics)).toEqual(["F0904"]);
    expect(r.diagnostics[0]!.message).toMatch(/has 100,01\d tokens, more than the 100,000/);
  });

  it("the YAML form has the same size limit", () => {
    const r = checkAny(`spec: x\n${"#\n".repeat(MAX_SPEC_CHARS / 2 + 1)}`, "x.fer.yaml");
    expect(codes(r.diagnostics)).toEqual(["F0904"]);
  });
});

describe("junk within the limits costs a bounded time and shows a bounded number of frames", () => {
  it("200 KB of random bytes: diagnostics in seconds, at most 100 frames printed and the rest counted", () => {
    const random = createRng(23);
    const text = Array.from({ length: 200_000 }, () => String.fromCharCode(random.int(256))).join("");
    const [r, ms] = timed(() => checkSource(text, "junk.fer"));
    expect(r.ok).toBe(false);
    expect(r.diagnostics.every((d) => d.code !== "F0903")).toBe(true);
    const [out, renderMs] = timed(() => renderDiagnostics(r.diagnostics, "text", { source: text, file: "junk.fer" }));
    expect(r.diagnostics.length).toBeGreaterThan(100);
    expect(out.match(/^(error|warning|info)\[F\d{4}\]/gm)!.length).toBe(100);
    expect(out).toMatch(new RegExp(`${(r.diagnostics.length - 100).toLocaleString("en-US")} more diagnostics not shown`));
    expect(ms + renderMs).toBeLessThan(15_000);
  });

  it("a syntax-error storm stops the parser after 50 errors instead of resynchronising on every token", () => {
    const pieces = ["{", "}", "[", "]", ",", "=", ";", "\n", "conv", "3x3", "12", '"s"', ">=", "x"];
    const random = createRng(7);
    const text = Array.from({ length: 60_000 }, () => pieces[random.int(pieces.length)]).join(" ");
    const [r, ms] = timed(() => parse(text));
    expect(r.diagnostics.filter((d) => d.code === "F0003").length).toBeLessThanOrEqual(51);
    expect(ms).toBeLessThan(10_000);
  });

  it("many classes: the duplicate check is linear (400,000 names checked in well under a second, not minutes)", () => {
    // Built as a syntax tree: text with this many classes is over the token limit, and the
    // check itself must not be quadratic for the lists that are allowed.
    const doc = parse('dataset d {\n  classes a b\n}\n').document;
    const dataset = doc.statements[0]!;
    const classes = dataset.block!.statements[0]!;
    const span = classes.args[0]!.span;
    const withNames = (names: readonly string[]): Statement => ({
      ...dataset,
      block: { ...dataset.block!, statements: [{ ...classes, args: names.map((name) => ({ value: { kind: "word", name, span }, span })) }] },
    });
    const names = Array.from({ length: 400_000 }, (_, i) => `c${i}`);
    const ds: Diagnostic[] = [];
    const [r, ms] = timed(() => checkDataset(withNames(names), ds));
    expect(r.dataset.classes.length).toBe(400_000);
    expect(ms).toBeLessThan(3000);
    const dup: Diagnostic[] = [];
    checkDataset(withNames([...names.slice(0, 1000), "c17"]), dup);
    expect(dup.map((d) => d.message)).toContain('class "c17" is listed twice');
  });

  it("did-you-mean on a 4 MB word skips candidates its length puts out of reach", () => {
    const word = "q".repeat(4_000_000);
    const candidates = ["relu", "softmax", "same", "valid", "stride", "activation", "filters", "kernel", "padding", "bias", "linear", "sigmoid", "tanh", "swish", "gelu", "elu", "selu", "mish"];
    const [hint, ms] = timed(() => hintFor(word, candidates));
    expect(hint).toBeUndefined();
    expect(ms).toBeLessThan(1000);
    expect(hintFor("rleu", candidates)).toBe('did you mean "relu"?');
  });
});

describe("YAML nested deeper than 64 levels reads like .fer: one nesting error, no internal error", () => {
  const base = "spec: x\ndataset d:\n  source: synthetic count 100\n  input: 48x48x1\n  classes: a b c d e f g\ntrain:\n  optimizer: adam\n";
  it.each([
    ["flow lists", `${base}model: ${"[".repeat(3000)}${"]".repeat(3000)}\n`],
    ["block mappings", `${base}model:\n${Array.from({ length: 3000 }, (_, i) => `${"  ".repeat(i + 1)}- a:\n`).join("")}`.slice(0, 1_000_000)],
  ])("%s", (_name, text) => {
    const r = checkAny(text, "deep.fer.yaml");
    const ds = r.diagnostics;
    expect(codes(ds)).not.toContain("F0903");
    const nesting = ds.filter((d) => d.message === "nesting deeper than 64 levels");
    expect(nesting.length).toBe(1);
    expect(nesting[0]!.code).toBe("F0003");
    // The sections that are there are still seen: no "missing section" for spec, dataset or model.
    expect(ds.filter((d) => d.code === "F0104").map((d) => d.message)).toEqual([]);
    // Parity: .fer says the same about the same depth.
    const fer = parse(`spec x\nmodel { ${"repeat 2 { ".repeat(70)}${"} ".repeat(70)} }`);
    expect(fer.diagnostics.map((d) => d.message)).toContain("nesting deeper than 64 levels");
  });
});

describe("control characters from a spec are shown escaped in code frames", () => {
  const text = 'spec x\nmodel {\n  conv 3x3 8 rleu\u001b[31m\n  dense 7 softmax "\u202eevil"\n}\n';
  const r = checkSource(text, "ansi.fer");
  const out = renderDiagnostics(r.diagnostics, "text", { source: text, file: "ansi.fer" });

  it("no ESC, C1 or bidi control reaches the terminal; they read as \\u escapes", () => {
    expect(out).not.toMatch(/[\u001b\u009b\u202e]/);
    expect(out).toContain("rleu\\u001b[31m");
    expect(out).toContain('"\\u202eevil"');
    const gh = renderDiagnostics(r.diagnostics, "github", { file: "ansi.fer" });
    expect(gh).not.toMatch(/[\u001b\u202e]/);
  });

  it("the caret still points at the span: under the escape of the character, not beside it", () => {
    const frame = out.split("\n\n").find((f) => f.includes('unexpected character "\\u001b"'))!;
    const [, source, caret] = frame.split("\n").slice(2, 5);
    const at = caret!.indexOf("^");
    expect(source!.slice(at, at + 6)).toBe("\\u001b");
    expect(caret!.slice(at)).toBe("^^^^^^");
  });
});

describe("a spec file is read only when it is a regular file of a spec's size", () => {
  const dir = mkdtempSync(join(tmpdir(), "ferc-limits-"));

  it("a FIFO or a device is refused by kind (F0901), not read forever", async () => {
    const fifo = join(dir, "spec.fer");
    execFileSync("mkfifo", [fifo]);
    for (const [file, kind] of [[fifo, "a FIFO \\(named pipe\\)"], ["/dev/zero", "a character device"]] as const) {
      const r = await readSpecFile(file);
      expect("error" in r && r.error.code).toBe("F0901");
      expect("error" in r && r.error.message).toMatch(new RegExp(`cannot read ${file}: it is ${kind}, not a regular file`));
    }
  }, 10_000);

  it("a file over the size limit is refused from its size (F0904), before it is read", async () => {
    const big = join(dir, "big.fer");
    writeFileSync(big, `spec x\n${"\n".repeat(MAX_SPEC_CHARS)}`);
    const r = await readSpecFile(big);
    expect("error" in r && r.error.code).toBe("F0904");
    expect("error" in r && r.error.message).toMatch(/cannot read .*big\.fer: the spec is 1,048,583 bytes, more than the 1,048,576 ferc reads/);
  });
});
