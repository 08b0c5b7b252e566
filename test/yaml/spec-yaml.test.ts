import { describe, expect, it } from "vitest";
import { withoutSpans } from "../../src/diff/normalize.js";
import { format } from "../../src/format/index.js";
import { parse } from "../../src/syntax/parser.js";
import { checkSource } from "../../src/check/index.js";
import { convertedName, formatAny, fromYaml, parseAny, toYaml, yamlToFer } from "../../src/yaml/index.js";
import { checkAny } from "../../src/check/any.js";
import { INLINE_SPECS, MESSY, specFiles, VGG_SMALL } from "../format/helpers.js";

const ALL = [...INLINE_SPECS, ...specFiles()];

const yamlOf = (fer: string): string => {
  const r = toYaml(fer);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.output;
};

describe("spec as YAML", () => {
  it.each(ALL)("%s: .fer → yaml → .fer is lossless (canonical text, comments included)", (_name, text) => {
    const yaml = yamlOf(text);
    const back = yamlToFer(yaml);
    expect(back.diagnostics).toEqual([]);
    expect(back.output).toBe(format(text).output);
    // And the YAML form is itself canonical: converting again changes nothing.
    expect(yamlOf(back.output)).toBe(yaml);
    expect(formatAny(yaml, "x.fer.yaml").output).toBe(yaml);
  });

  it.each(ALL)("%s: the YAML reads into the same syntax tree as the canonical .fer", (_name, text) => {
    const canonical = format(text).output;
    const tree = (stmts: unknown) => JSON.parse(JSON.stringify(withoutSpans(stmts), (k, v: unknown) => (k === "raw" ? undefined : v)));
    expect(tree(fromYaml(yamlOf(text)).document.statements)).toEqual(tree(parse(canonical).document.statements));
  });

  it("has a pleasant form for the reference spec", () => {
    expect(yamlOf(VGG_SMALL)).toBe(`spec: vgg-small

dataset fer2013:
  source: "data/fer2013.csv"
  input: 48x48x1
  classes: angry disgust fear happy sad surprise neutral
  split:
    - train = usage "Training"
    - val = usage "PublicTest"
    - test = usage "PrivateTest"
  clean:
    - drop blank
    - drop duplicates

preprocess:
  standardize: per-image

augment:
  rotate: 40deg
  shift: 0.2 0.2
  shear: 0.2rad
  flip: horizontal

model:
  - repeat 3 with filters = [16, 32, 64]:
      - conv 3x3 filters relu
      - batchnorm
      - conv 3x3 filters relu
      - batchnorm
      - maxpool 2x2
      - dropout 0.25
  - flatten
  - dense 256 relu
  - batchnorm
  - dropout 0.5
  - dense 7 softmax

train:
  optimizer: adam
  loss: categorical-crossentropy
  batch: 128
  epochs: 100
  early-stop: val.loss patience 5 restore-best

expect:
  params: trainable 140343 non-trainable 960 total 141303
  shape: block1.conv1 = 46x46x16
`);
  });

  it("keeps comments of both styles", () => {
    const yaml = yamlOf(MESSY);
    expect(yaml).toContain("# a tiny model\nmodel: # layers follow\n  - conv 3x3 8 relu #// first");
    expect(yamlToFer(yaml).output).toContain("conv 3x3 8 relu // first");
  });

  it("accepts hand-written variants: flow lists as arguments, several statements per item, literals", () => {
    const yaml = [
      "spec: x",
      "augment:",
      "  shift: [0.2, 0.2]",
      "model:",
      "  - conv 3x3 8 relu; maxpool 2x2",
      "  - |-",
      "    dense 7 softmax",
      "  - residual:",
      "      - conv 3x3 8 same",
      "",
    ].join("\n");
    const r = fromYaml(yaml);
    expect(r.diagnostics).toEqual([]);
    expect(yamlToFer(yaml).output).toBe(
      "spec x\n\naugment {\n  shift 0.2 0.2\n}\n\nmodel {\n  conv 3x3 8 relu\n  maxpool 2x2\n  dense 7 softmax\n  residual {\n    conv 3x3 8 same\n  }\n}\n",
    );
  });

  it("points diagnostics at YAML line:col", () => {
    const r = fromYaml("spec: x\nmodel:\n  - conv 3x3 @ 16\n  - \"dense 7\"\n");
    expect(r.diagnostics.map((d) => `${d.span.line}:${d.span.column} ${d.code}`)).toEqual(["3:14 F0001", "4:5 F0902"]);
    const conv = r.document.statements[1]!.block!.statements[0]!;
    expect([conv.head.span.line, conv.head.span.column, conv.args[0]!.span.column]).toEqual([3, 5, 10]);
  });

  it("reports YAML syntax errors and duplicate keys as F0902", () => {
    expect(fromYaml("model:\n  - conv: [\n").diagnostics.map((d) => d.code)).toContain("F0902");
    const dup = fromYaml("train:\n  batch: 1\n  batch: 2\n").diagnostics;
    expect(dup.map((d) => [d.code, d.span.line])).toEqual([["F0902", 3]]);
    expect(dup[0]!.hint).toMatch(/list form/);
  });

  it("chooses the reader by file name", () => {
    expect(parseAny("spec: x\n", "a.fer.yaml").document.statements[0]!.head.name).toBe("spec");
    expect(parseAny("spec x\n", "a.fer").document.statements[0]!.head.name).toBe("spec");
    expect(convertedName("specs/a.fer", "yaml")).toBe("specs/a.fer.yaml");
    expect(convertedName("specs/a.fer.yaml", "fer")).toBe("specs/a.fer");
  });

  it("falls back to a list or a literal when the mapping form cannot say it", () => {
    const fer = 'train {\n  class-weights [1, 2, 3]\n  seed 1\n}\n\nexpect {\n  x "a: b" 1\n}\n';
    const yaml = yamlOf(fer);
    expect(yaml).toContain("train:\n  - class-weights [1, 2, 3]\n  - seed 1\n");
    expect(yaml).toContain('expect:\n  - |-\n      x "a: b" 1\n');
    expect(yamlToFer(yaml).output).toBe(fer);
  });
});

describe("checking a YAML spec", () => {
  const BROKEN = VGG_SMALL.replace("dense 7 softmax", "dense 7 sofmax").replace("batch 128", "batch 0");
  const key = (ds: readonly { code: string; message: string }[]) => ds.map((d) => `${d.code} ${d.message.replace(/line \d+/g, "line N")}`).sort();

  it.each([...ALL, ["inline:broken", BROKEN] as [string, string]])("%s: same diagnostics as the .fer", (_name, text) => {
    const yaml = yamlOf(text);
    const a = checkSource(text);
    const b = checkAny(yaml, "x.fer.yaml");
    expect(key(b.diagnostics)).toEqual(key(a.diagnostics));
    expect(withoutSpans(b.spec)).toEqual(withoutSpans(a.spec));
  });

  it("points the checker's diagnostics at the YAML", () => {
    const yaml = yamlOf(BROKEN);
    const lines = yaml.split("\n");
    const r = checkAny(yaml, "x.fer.yaml");
    const at = (code: string) => r.diagnostics.find((d) => d.code === code)!.span;
    const bad = r.diagnostics.filter((d) => d.severity === "error").map((d) => d.span);
    expect(bad.length).toBeGreaterThan(0);
    for (const s of bad) expect(lines[s.line - 1]!.length).toBeGreaterThanOrEqual(s.column - 1);
    const sofmax = bad.find((s) => lines[s.line - 1]!.slice(s.column - 1).startsWith("sofmax"));
    expect(sofmax, JSON.stringify(r.diagnostics)).toBeDefined();
    expect(lines[at("F0202").line - 1]).toMatch(/batch: 0/);
  });
});
