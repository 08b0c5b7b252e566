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
    expect(where(text)).toEqual(["3:11 F0001", "5:1 F0003", "6:15 F0004", "6:22 F0002", "6:22 F0003", "7:1 F0003"]);
    const { document } = parse(text);
    expect(document.statements.map((s) => s.head.name)).toEqual(["spec", "model", "train"]);
  });

  it("refuses absurd nesting instead of overflowing the stack", () => {
    const r = parse("model " + "{".repeat(5000));
    expect(r.diagnostics.some((d) => d.message.includes("nesting deeper"))).toBe(true);
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
  });
});
