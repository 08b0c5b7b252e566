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

  it("a variable left without its option says how to use it", () => {
    const r = checkModelBody(`repeat 2 with s = [1, 2] { conv 3x3 16 s }\n${TAIL}`);
    expect(r.diagnostics.map((d) => [d.code, d.message, d.span.column, d.hint])).toEqual([
      ["F0112", "conv: unexpected number 1 (a repeat variable's value)", 40, "to set an option from a repeat variable, write the option name before it (`stride s`, `stride=s`)"],
    ]);
  });

  it("a variable used as a value where its name is also an option (`conv 3x3 filters relu`)", () => {
    const r = checkModelBody(`repeat 2 with filters = [8, 16] { conv 3x3 filters relu; conv 3x3 filters same; conv 3x3 filters }\n${TAIL}`);
    expect(r.diagnostics).toEqual([]);
    expect(r.layers.filter((l) => l.kind === "conv").map((l) => l.outputShape[2])).toEqual([8, 8, 8, 16, 16, 16]);
    // A misspelt word after it is still the misspelling, not the option's value.
    const typo = checkModelBody(`repeat 2 with filters = [8, 16] { conv 3x3 filters rleu }\n${TAIL}`);
    expect(typo.diagnostics.map((d) => [d.code, d.message, d.hint])).toEqual([["F0106", 'conv: unknown option "rleu"', 'did you mean "relu"?']]);
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
    // A close shallower than its block, matching an outer block's indentation, still closes its own.
    const shallow = "spec t\ndataset d {}\nmodel {\n  repeat 2 {\n    conv 3x3 8\n}\n  flatten; dense 7 softmax\n}\ntrain {}\n";
    expect(checkSource(shallow).diagnostics).toEqual([]);
  });
});

describe("one pass: what can still be computed is checked despite other mistakes", () => {
  const keys = (src: string) => checkSource(src).diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column}`);

  it("a mistake in each section, and the shape, output and expect errors they used to hide", () => {
    const src = [
      "spec t",
      "dataset d { input 48x48x1 }",
      "model {",
      "  conv 3x3 8 rleu", //             F0106, but its shape is 46x46x8 for any activation
      "  dropout 2", //                   F0202, shape-preserving whatever the rate
      "  residual { conv 3x3 8 same }",
      "  flatten; dense 10 sofmax", //    F0106; F0303 (10 outputs, 7 classes); no F0401 guess
      "}",
      "train { optimiser adam; batch 32 }", // F0102
      "expect { params total 5; shape flatten1 = 3x3; shape conv1 = 2x2x8 }", // F0501, F0502 x2
    ].join("\n");
    expect(keys(src)).toEqual(["F0106 4:14", "F0202 5:11", "F0303 7:12", "F0106 7:21", "F0102 9:9", "F0501 10:17", "F0502 10:26", "F0502 10:48"]);
    const r = checkSource(src);
    expect(r.diagnostics.find((d) => d.code === "F0501")!.message).toBe("expected 5 total parameters, the model has 169,954");
    expect(r.layers.map((l) => l.outputShape.join("x"))).toEqual(["46x46x8", "46x46x8", "46x46x8", "46x46x8", "16928", "10"]);
  });

  it("a layer whose shape depends on the unknown option stays unknown, with no guessed errors after it", () => {
    // `xyzzy` could be `same` or `valid`: the shape is not known, so nothing downstream is judged.
    const r = checkModelBody("conv 3x3 8 xyzzy; maxpool 2x2; flatten; dense 10 softmax", { extra: "expect { shape conv1 = 1x1x8; params total 5 }" });
    expect(codes(r)).toEqual(["F0106"]);
    expect(r.layers.map((l) => l.outputShape.length)).toEqual([0, 0, 0, 0]);
  });

  it("a bias left unknown keeps the shape but not the count: no params verdict", () => {
    const r = checkModelBody("conv 3x3 8 bias=maybe; flatten; dense 7 softmax", { extra: "expect { params total 5; shape conv1 = 1x1x8 }" });
    expect(codes(r)).toEqual(["F0201", "F0502"]);
  });

  it("the loss check runs when the last layer is fine, even with mistakes before it", () => {
    expect(codes(checkModelBody("conv2d 3x3 8; flatten; dense 7 relu"))).toEqual(["F0102", "F0401"]);
    // ... and not when the end of the model is itself the mistake.
    expect(codes(checkModelBody("flatten; dense 7 relu; dens 7 softmax"))).toEqual(["F0102"]);
  });

  it("an expectation naming the layer an unknown statement stands for is not a second error", () => {
    const expectConv1 = { extra: "expect { shape conv1 = 46x46x8; shape nosuch1 = 7 }" };
    const r = checkModelBody("conv2d 3x3 8; conv 3x3 8; flatten; dense 7 softmax", expectConv1);
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(['F0102 unknown layer "conv2d"', 'F0503 expect names unknown layer "nosuch1"']);
    // The layers after it keep the names they will have once it is fixed.
    expect(r.layers.map((l) => l.name)).toEqual(["conv2", "flatten1", "dense1"]);
  });

  it("a rejected input size is not replaced by a guess: no shape verdicts on a stand-in input", () => {
    const r = checkModelBody("conv 3x3 8; maxpool 64x64; flatten; dense 10 softmax", { dataset: "input 48x48x0", extra: "expect { shape conv1 = 46x46x8 }" });
    expect(codes(r)).toEqual(["F0305"]);
    expect(r.layers.every((l) => l.outputShape.length === 0)).toBe(true);
  });

  it("a bad class list produces no output-units or class-weights error against the default classes", () => {
    expect(codes(checkModelBody("flatten; dense 3 softmax", { dataset: "classes a b a", train: "class-weights [1, 2, 3]" }))).toEqual(["F0206"]);
    // With a valid list the count is compared.
    expect(codes(checkModelBody("flatten; dense 3 softmax", { dataset: "classes a b c", train: "class-weights [1, 2]" }))).toEqual(["F0202"]);
  });
});
