import { describe, expect, it } from "vitest";
import { withoutSpans } from "../../src/diff/normalize.js";
import { format } from "../../src/format/index.js";
import { SECTION_ORDER, SETTING_ORDER, sortByOrder } from "../../src/format/order.js";
import type { Statement } from "../../src/syntax/ast.js";
import { parse } from "../../src/syntax/parser.js";
import { INLINE_SPECS, MESSY, specFiles, VGG_SMALL } from "./helpers.js";

const fmt = (text: string): string => {
  const r = format(text);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.output;
};

/** The tree with sections and settings in canonical order, numbers by value, no spans. */
function canonicalTree(text: string): unknown {
  const norm = (ss: readonly Statement[], parent: string | undefined, section: string | undefined): unknown[] => {
    const order = parent === undefined ? SECTION_ORDER : section === parent || parent === "split" ? SETTING_ORDER[parent] : undefined;
    const sorted = order ? sortByOrder(ss, (s) => s.head.name, order) : ss;
    return sorted.map((s) => ({
      ...withoutSpans({ head: s.head, assign: s.assign, args: s.args }),
      block: s.block ? norm(s.block.statements, s.head.name, section ?? s.head.name) : undefined,
    }));
  };
  const strip = (v: unknown): unknown =>
    JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === "raw" ? undefined : x)));
  return strip(norm(parse(text).document.statements, undefined, undefined));
}

const commentTexts = (text: string): string[] => parse(text).document.comments.map((c) => c.text.trimEnd()).sort();

const ALL = [...INLINE_SPECS, ...specFiles()];

describe("fmt", () => {
  it.each(ALL)("%s: idempotent, same tree, same comments", (_name, text) => {
    const once = fmt(text);
    expect(fmt(once)).toBe(once);
    expect(canonicalTree(once)).toEqual(canonicalTree(text));
    expect(commentTexts(once)).toEqual(commentTexts(text));
  });

  it("lays out the reference spec canonically", () => {
    expect(fmt(VGG_SMALL)).toBe(`spec vgg-small

dataset fer2013 {
  source "data/fer2013.csv"
  input 48x48x1
  classes angry disgust fear happy sad surprise neutral
  split { train = usage "Training"; val = usage "PublicTest"; test = usage "PrivateTest" }
  clean { drop blank; drop duplicates }
}

preprocess {
  standardize per-image
}

augment {
  rotate 40deg
  shift 0.2 0.2
  shear 0.2rad
  flip horizontal
}

model {
  repeat 3 with filters = [16, 32, 64] {
    conv 3x3 filters relu
    batchnorm
    conv 3x3 filters relu
    batchnorm
    maxpool 2x2
    dropout 0.25
  }
  flatten
  dense 256 relu
  batchnorm
  dropout 0.5
  dense 7 softmax
}

train {
  optimizer adam
  loss categorical-crossentropy
  batch 128
  epochs 100
  early-stop val.loss patience 5 restore-best
}

expect {
  params trainable 140343 non-trainable 960 total 141303
  shape block1.conv1 = 46x46x16
}
`);
  });

  it("orders sections and settings, keeps layer order, comments and blank lines", () => {
    expect(fmt(MESSY)).toBe(`spec tiny

dataset fer2013 {
  source "data/fer2013.csv"
  input 48x48x1
  classes angry disgust fear happy sad surprise neutral
}

# a tiny model
model { # layers follow
  conv 3x3 8 relu // first
  maxpool 2x2

  flatten
  dense 7 softmax
  # trailing note in model
}

train {
  optimizer adam lr = 1e-3
  batch 32
  epochs 2
}

# the end
`);
  });

  it("normalises numbers without changing their value", () => {
    expect(fmt("a 1.50 +2 0.0010 0.00025 1e2 0.01 -0.0 40.0deg 5.0% 1E-4rad\n")).toBe(
      "a 1.5 2 1e-3 2.5e-4 100 0.01 0 40deg 5% 1e-4rad\n",
    );
  });

  it("escapes strings and prints lists and assignments canonically", () => {
    expect(fmt('x = y "a\\"b\\\\c" [ 1 ,2,\n 3 ] k=v\n')).toBe('x = y "a\\"b\\\\c" [1, 2, 3] k = v\n');
  });

  it("breaks a nested block that is too long or holds a comment; never inlines layers", () => {
    const long = `dataset d {\n  split { train = usage "${"T".repeat(60)}"; val = usage "${"V".repeat(20)}" }\n}\n`;
    expect(fmt(long)).toContain("  split {\n    train = usage");
    expect(fmt("dataset d {\n  clean { drop blank # why\n  }\n}\n")).toBe("dataset d {\n  clean {\n    drop blank # why\n  }\n}\n");
    expect(fmt("model { residual { conv 3x3 8 } }\n")).toBe("model {\n  residual {\n    conv 3x3 8\n  }\n}\n");
  });

  it("keeps comments in empty blocks and after closing braces", () => {
    const text = "model {\n  # todo\n}\n";
    expect(fmt(text)).toBe(text);
    expect(fmt("train {}  # nothing yet\n")).toBe("train {} # nothing yet\n");
  });

  it("does not format a file with syntax errors", () => {
    const text = "model {\n  conv 3x3 @ 16\n";
    const r = format(text);
    expect(r.output).toBe(text);
    expect(r.changed).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toContain("F0001");
  });
});
