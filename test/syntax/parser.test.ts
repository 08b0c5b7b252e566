import { describe, expect, it } from "vitest";
import type { Statement } from "../../src/syntax/ast.js";
import { parse } from "../../src/syntax/parser.js";

const where = (text: string) => parse(text).diagnostics.map((d) => `${d.span.line}:${d.span.column} ${d.code}`);

/** A compact rendering of the tree: head, args, nested blocks. */
function shape(ss: readonly Statement[]): unknown[] {
  return ss.map((s) => {
    const args = s.args.map((a) => {
      const v = a.value;
      const text =
        v.kind === "number" ? `${v.raw}${v.unit ?? ""}` :
        v.kind === "dims" ? v.dims.join("x") :
        v.kind === "string" ? JSON.stringify(v.value) :
        v.kind === "word" ? v.name :
        `[${v.items.map((i) => (i.kind === "number" ? i.raw : "?")).join(",")}]`;
      return a.key ? `${a.key.name}=${text}` : text;
    });
    const head = `${s.head.name}${s.assign ? " =" : ""}${args.length ? ` ${args.join(" ")}` : ""}`;
    return s.block ? { [head]: shape(s.block.statements) } : head;
  });
}

describe("parser", () => {
  it("parses the reference spec's constructs into a uniform tree", () => {
    const { document, diagnostics } = parse(
      [
        "spec vgg-small",
        "dataset fer2013 {",
        '  split { train = usage "Training"; val = usage "PublicTest" }',
        "}",
        "augment { rotate 40deg; shear 0.2rad; shift 0.2 0.2 }",
        "model {",
        "  repeat 3 with filters = [16, 32, 64] {",
        "    conv 3x3 filters relu; batchnorm",
        "  }",
        "}",
        "expect { shape block1.conv1 = 46x46x16; accuracy test >= 0.9 }",
      ].join("\n"),
    );
    expect(diagnostics).toEqual([]);
    expect(shape(document.statements)).toEqual([
      "spec vgg-small",
      { "dataset fer2013": [{ split: ['train = usage "Training"', 'val = usage "PublicTest"'] }] },
      { augment: ["rotate 40deg", "shear 0.2rad", "shift 0.2 0.2"] },
      { model: [{ "repeat 3 with filters=[16,32,64]": ["conv 3x3 filters relu", "batchnorm"] }] },
      { expect: ["shape block1.conv1=46x46x16", "accuracy test >= 0.9"] },
    ]);
  });

  it("gives every node a 1-based line:col span", () => {
    const { document } = parse("spec x\nmodel {\n  conv 3x3 16\n}\n");
    const conv = document.statements[1]!.block!.statements[0]!;
    expect([conv.span.line, conv.span.column]).toEqual([3, 3]);
    expect([conv.args[0]!.span.line, conv.args[0]!.span.column, conv.args[0]!.span.length]).toEqual([3, 8, 3]);
  });

  it("keeps comments of both styles with their positions", () => {
    const { document } = parse("# top\nspec x // trailing\n");
    expect(document.comments.map((c) => [c.text, c.span.line])).toEqual([
      ["# top", 1],
      ["// trailing", 2],
    ]);
  });

  it("reports several syntax errors in one pass and recovers", () => {
    const text = 'spec x\nmodel {\n conv 3x3 @ 16\n dense [1, 2\n}\ntrain { batch 12abc; "oops }\n';
    expect(where(text)).toEqual(["3:11 F0001", "5:1 F0003", "6:7 F0003", "6:15 F0004", "6:22 F0002", "6:22 F0003"]);
    // The string swallows train's '}': the block is named with the line it opens on.
    expect(parse(text).diagnostics.find((d) => d.span.line === 6 && d.span.column === 7)?.message).toBe("train block opened on line 6 is not closed");
    const { document } = parse(text);
    expect(document.statements.map((s) => s.head.name)).toEqual(["spec", "model", "train"]);
  });

  it("refuses absurd nesting instead of overflowing the stack", () => {
    const r = parse("model " + "{".repeat(5000));
    expect(r.diagnostics.some((d) => d.message.includes("nesting deeper"))).toBe(true);
  });

  it("reports too-deep nesting once, at the first too-deep bracket, and parses what follows", () => {
    const deep = (n: number) => `${"residual { ".repeat(n)}dropout 0.1${" }".repeat(n)}`;
    const text = `model {\n  ${deep(10_000)}\n  flatten\n}\ntrain { batch 1 }\n`;
    const r = parse(text);
    expect(r.diagnostics.map((d) => `${d.span.line}:${d.span.column} ${d.code} ${d.message}`)).toEqual([
      "2:705 F0003 nesting deeper than 64 levels",
    ]);
    expect(text[r.diagnostics[0]!.span.offset]).toBe("{");
    expect(r.diagnostics[0]!.span.length).toBe(1);
    // The too-deep block reads as empty; the statements after it are all there.
    expect(r.document.statements.map((s) => s.head.name)).toEqual(["model", "train"]);
    expect(r.document.statements[0]!.block!.statements.map((s) => s.head.name)).toEqual(["residual", "flatten"]);
    // 64 levels are fine.
    expect(parse(`model {\n  ${deep(63)}\n}\n`).diagnostics).toEqual([]);
  });

  it("too-deep lists are refused the same way; unclosed deep nesting does not hang", () => {
    const r = parse(`a ${"[".repeat(10_000)}1${"]".repeat(10_000)} 2\nb 3\n`);
    expect(where(`a ${"[".repeat(100)}1${"]".repeat(100)} 2\nb 3\n`)).toEqual(["1:67 F0003"]);
    expect(r.document.statements.map((s) => `${s.head.name} ${s.args.length}`)).toEqual(["a 2", "b 1"]);
    const open = parse(`model { ${"residual { ".repeat(10_000)}\ntrain { }\n`);
    expect(open.diagnostics.filter((d) => d.message.includes("nesting deeper"))).toHaveLength(1);
  });

  it("an extra closing brace is reported as unmatched, with its span, and the file goes on", () => {
    const text = "spec x\nmodel { flatten }\n}\ntrain { batch 1 }\n";
    const r = parse(text);
    expect(r.diagnostics.map((d) => [d.code, d.message, d.span.line, d.span.column, d.span.length])).toEqual([
      ["F0003", "unmatched '}'", 3, 1, 1],
    ]);
    expect(r.diagnostics[0]!.hint).toMatch(/remove it/);
    expect(r.document.statements.map((s) => s.head.name)).toEqual(["spec", "model", "train"]);
    expect(parse("a\n]\nb\n").diagnostics.map((d) => d.message)).toEqual(["unmatched ']'"]);
  });

  it("never talks about EOF", () => {
    for (const text of ["spec x\n}", "spec x\n, y", "a = = 1\n= 2", "a [,1]\n", "}}}}"]) {
      for (const d of parse(text).diagnostics) expect(d.message, text).not.toMatch(/EOF/);
    }
  });

  it("reports an empty list element at its comma; a trailing comma is fine", () => {
    const r = parse("a [16, 32,, 64]\n");
    expect(r.diagnostics.map((d) => [d.code, d.message, d.span.column, d.span.length])).toEqual([["F0003", "empty element in list", 11, 1]]);
    expect(r.diagnostics[0]!.hint).toBeDefined();
    const vals = r.document.statements[0]!.args[0]!.value;
    expect(vals.kind === "list" ? vals.items.length : -1).toBe(3);
    expect(where("a [1,,,2]\n")).toEqual(["1:6 F0003", "1:7 F0003"]);
    expect(where("a [1,\n  ,2]\n")).toEqual(["2:3 F0003"]);
    expect(where("a [1, 2,]\nb [\n  1,\n  2,\n]\n")).toEqual([]);
  });

  it("never throws on arbitrary bytes", () => {
    for (let seed = 1; seed < 200; seed++) {
      let s = "";
      let x = seed;
      for (let i = 0; i < 200; i++) {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        s += String.fromCharCode(x % 130);
      }
      expect(() => parse(s)).not.toThrow();
    }
  });

  it("numbers keep their written text and unit; out-of-range numbers are diagnosed", () => {
    const { document, diagnostics } = parse("a 1e-3 40deg 5% 1e999\n");
    const vals = document.statements[0]!.args.map((a) => a.value);
    expect(vals.map((v) => (v.kind === "number" ? [v.raw, v.unit ?? "", v.value] : v.kind))).toEqual([
      ["1e-3", "", 0.001],
      ["40", "deg", 40],
      ["5", "%", 5],
      ["1e999", "", 0],
    ]);
    expect(diagnostics.map((d) => d.code)).toEqual(["F0004"]);
    // The stand-in 0 is marked, so later stages do not report the literal again.
    expect(vals.map((v) => v.kind === "number" && v.malformed === true)).toEqual([false, false, false, true]);
  });
});
