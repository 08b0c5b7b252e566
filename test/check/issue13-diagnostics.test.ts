/** Diagnostics that used to be missing, repeated or followed by errors that were not there. */
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import { parse } from "../../src/syntax/parser.js";
import { checkModelBody, codes, specWith } from "./helpers.js";

const TAIL = "flatten; dense 7 softmax";
const brief = (src: string) => checkSource(src).diagnostics.map((d) => `${d.severity} ${d.code} ${d.span.line}:${d.span.column} ${d.message}`);

describe("repeat variables", () => {
  it("a variable named like an option works both as the keyword and as the value", () => {
    const r = checkModelBody(`repeat 2 with stride = [1, 2] bias = [on, off] {\n  conv 3x3 8 relu stride stride bias bias\n}\n${TAIL}`);
    expect(r.diagnostics).toEqual([]);
    expect(r.layers.slice(0, 2).map((l) => [l.name, l.outputShape.join("x"), l.params])).toEqual([
      ["block1.conv1", "46x46x8", 3 * 3 * 8 + 8],
      ["block2.conv1", "22x22x8", 3 * 3 * 8 * 8],
    ]);
  });

  it("a variable used as a value where its name is also an option (`conv 3x3 filters relu`)", () => {
    const r = checkModelBody(`repeat 2 with filters = [8, 16] { conv 3x3 filters relu; conv 3x3 filters same; conv 3x3 filters }\n${TAIL}`);
    expect(r.diagnostics).toEqual([]);
    expect(r.layers.filter((l) => l.kind === "conv").map((l) => l.outputShape[2])).toEqual([8, 8, 8, 16, 16, 16]);
  });
});

describe("empty blocks", () => {
  it("an empty repeat body is a warning: it adds nothing", () => {
    const r = checkModelBody(`repeat 2 { }\n${TAIL}`);
    expect(r.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(["warning F0114"]);
    expect(r.ok).toBe(true);
  });

  it("a too-deep block cut out by the parser is not also reported as empty", () => {
    const r = checkModelBody(`${"residual { ".repeat(70)}dropout 0.1${" }".repeat(70)}\n${TAIL}`);
    expect(codes(r)).toEqual(["F0003"]);
  });
});

describe("usage values", () => {
  it("a near miss of a FER2013 Usage value is a warning with the right spelling", () => {
    const r = checkSource(specWith(TAIL, { dataset: 'split { train = usage "Trainig"; val = usage "publictest"; test = usage "PrivateTest" }' }));
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.message, d.hint])).toEqual([
      ["warning", "F0203", 'usage "Trainig" is not a FER2013 Usage value', 'did you mean "Training"?'],
      ["warning", "F0203", 'usage "publictest" is not a FER2013 Usage value', 'did you mean "PublicTest"?'],
    ]);
    expect(r.ok).toBe(true);
  });

  it("another CSV's own values get the list, not a guess; the known ones nothing", () => {
    const r = checkSource(specWith(TAIL, { dataset: 'split { train = usage "Fold1"; test = usage "PrivateTest" }' }));
    expect(r.diagnostics.map((d) => [d.severity, d.hint])).toEqual([["warning", "FER2013's Usage values are Training, PublicTest, PrivateTest"]]);
  });
});

describe("unclosed blocks", () => {
  it("names the block and its line, and the rest of the file checks as meant", () => {
    const src = "spec t\ndataset d { }\nmodel {\n  repeat 2 {\n    conv 3x3 8 relu\n  flatten; dense 7 softmax\n}\ntrain { batch 32 }\n";
    expect(brief(src)).toEqual(["error F0003 4:12 repeat block opened on line 4 is not closed"]);
    const d = checkSource(src).diagnostics[0]!;
    expect(d.hint).toBe("add '}' before line 6 (judging by the indentation)");
    const r = checkSource(src.replace("  flatten", "  }\n  flatten"));
    expect(r.ok).toBe(true);
    // The repaired tree is the one the author meant: same layers as with the brace added.
    expect(checkSource(src).layers).toEqual(r.layers);
  });

  it("a section left open before the next one", () => {
    const src = "spec t\ndataset d {\n  input 48x48x1\nmodel { flatten; dense 7 softmax }\ntrain { batch 32 }\n";
    expect(brief(src)).toEqual(["error F0003 2:11 dataset block opened on line 2 is not closed"]);
  });

  it("without an indentation clue, the block closes at the end of the file", () => {
    const r = parse("model {\nconv 3x3 8 relu\n");
    expect(r.diagnostics.map((d) => [d.message, d.hint])).toEqual([["model block opened on line 1 is not closed", "add '}' at the end of the file"]]);
  });

  it("balanced braces are never moved, however they are indented", () => {
    const src = "spec t\ndataset d {}\nmodel {\nrepeat 2 {\nconv 3x3 8\n    }\n        flatten; dense 7 softmax\n  }\ntrain {}\n";
    expect(checkSource(src).diagnostics).toEqual([]);
  });
});
