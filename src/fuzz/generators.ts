/**
 * fast-check arbitraries for `.fer` fuzzing. Each yields { text, original? }: the input, and a
 * valid spec it was derived from (for diffSpecs(original, text)) when there is one.
 */
import fc from "fast-check";
import { SECTION_NAMES } from "../sections/registry.js";
import { VOCAB } from "./mutate.js";

export interface FuzzInput {
  readonly text: string;
  readonly original?: string;
}

/** A small valid spec the value-level generators plant values into. */
export const SEED_SPEC = `spec seed
dataset fer2013 {
  source "data/fer2013.csv"
  input 48x48x1
  classes angry disgust fear happy sad surprise neutral
}
augment { rotate 10deg; zoom 0.1 }
model {
  repeat 2 with filters = [16, 32] {
    conv 3x3 filters same relu; batchnorm
    maxpool 2x2
  }
  flatten
  dense 64 relu; dropout 0.5
  dense 7 softmax
}
train { optimizer adam lr 1e-3; loss categorical-crossentropy; batch 64; epochs 10 }
expect { shape block1.conv1 = 48x48x16 }
`;

const numberTok = fc.oneof(
  fc.integer({ min: -5, max: 300 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }).map((x) => String(x)),
  fc.constantFrom("0.25", "1e-3", "40deg", "0.2rad", "10%", "3x3", "48x48x1", "2x2", "1x1", "0x0", "1e308"),
);
const stringTok = fc.constantFrom('"data/fer2013.csv"', '"Training"', '""', '"a\\"b"', '"unterminated');
const wordTok = fc.constantFrom(...VOCAB);
const value: fc.Arbitrary<string> = fc.letrec<{ v: string; list: string }>((tie) => ({
  v: fc.oneof({ depthSize: "small" }, wordTok, numberTok, stringTok, tie("list")),
  list: fc.array(tie("v"), { maxLength: 4 }).map((xs) => `[${xs.join(", ")}]`),
})).v;

/** statement := word args [block]; block := { statements } */
const statements: fc.Arbitrary<string> = fc.letrec<{ stmts: string; stmt: string }>((tie) => ({
  stmt: fc
    .tuple(
      wordTok,
      fc.array(fc.oneof(value, fc.tuple(wordTok, value).map(([k, v]) => `${k} = ${v}`)), { maxLength: 5 }),
      fc.option(tie("stmts").map((b) => `{ ${b} }`), { freq: 3, depthSize: "small" }),
    )
    .map(([h, args, block]) => [h, ...args, block ?? ""].join(" ").trim()),
  stmts: fc.array(tie("stmt"), { maxLength: 5 }).chain((ss) => fc.constantFrom("\n", "; ").map((sep) => ss.join(sep))),
})).stmts;

/** The sections a spec is made of (sweep left out: each of its trials is a full check, slow under fuzzing). */
const SECTIONS = SECTION_NAMES.filter((s) => s !== "sweep");

/** Random statements and blocks from the real vocabulary, arranged as sections. */
export const tokenSpec: fc.Arbitrary<FuzzInput> = fc
  .array(fc.tuple(fc.constantFrom(...SECTIONS), statements, fc.boolean()), { maxLength: 7 })
  .map((secs) => ({
    text: secs.map(([s, body, block]) => (s === "spec" ? `spec ${body.split(/\s/)[0] || "x"}` : block ? `${s} {\n${body}\n}` : `${s} ${body}`)).join("\n"),
    original: SEED_SPEC,
  }));

/** Deeply nested blocks and lists, balanced or not, around a layer. */
export const nesting: fc.Arbitrary<FuzzInput> = fc
  .tuple(fc.integer({ min: 1, max: 400 }), fc.constantFrom("residual {", "repeat 2 {", "[", "{"), fc.boolean(), fc.integer({ min: 0, max: 3 }))
  .map(([depth, open, balanced, missing]) => {
    const close = open === "[" ? "]" : "}";
    const inner = `${open.repeat(depth)} dropout 0.1 ${close.repeat(balanced ? depth : Math.max(0, depth - missing - 1))}`;
    return { text: SEED_SPEC.replace("flatten", `${inner}\n  flatten`), original: SEED_SPEC };
  });

const HUGE = [
  "1e308", "1.7976931348623157e308", "1e309", "-1e309", "99999999999999999999", "9007199254740993", "4294967296", "2147483648",
  "1e-400", "5e-324", "-0", "0.0000000000000000000001", "100000000000000000000000000000000000000000000", "1e+308deg", "99999999999999999999%",
  "99999x99999x99999", "2147483648x2147483648", "0x0x0", "1x1x1x1x1", "00000000000000000001", "1.", ".5", "1e", "1e+", "NaN", "Infinity",
];

/** A valid spec with one number replaced by an extreme one. */
export const hugeNumbers: fc.Arbitrary<FuzzInput> = fc.tuple(fc.nat(), fc.constantFrom(...HUGE)).map(([k, big]) => {
  const spots = [...SEED_SPEC.matchAll(/(?<![A-Za-z.])\d+(?:\.\d+)?(?:e-?\d+)?(?:deg|%)?(?:x\d+)*/g)];
  const m = spots[k % spots.length]!;
  return { text: SEED_SPEC.slice(0, m.index) + big + SEED_SPEC.slice(m.index! + m[0].length), original: SEED_SPEC };
});

const NASTY = ["😀", "👩‍👩‍👧", "\u202e", "\u200f", "مرحبا", "\u0000", "\ud800", "\udfff", "\ufeff", "\u2028", "\u2029", "\r", "\r\n", "\u00a0", "é", "e\u0301", "\uff11", "\t", "\u000b", "\u0085"];

/** A valid spec with unicode trouble planted at random offsets (inside words, strings, comments). */
export const unicode: fc.Arbitrary<FuzzInput> = fc
  .array(fc.tuple(fc.nat(), fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: "binary", maxLength: 4 }), fc.string({ unit: "grapheme", maxLength: 3 }))), { minLength: 1, maxLength: 4 })
  .map((edits) => {
    let t = SEED_SPEC;
    for (const [k, s] of edits) {
      const at = k % (t.length + 1);
      t = t.slice(0, at) + s + t.slice(at);
    }
    return { text: t, original: SEED_SPEC };
  });

/** 100k-character lines: a comment, a word, a number, a string, a list, spaces, many layers. */
export const longLines: fc.Arbitrary<FuzzInput> = fc.constantFrom(
  "comment", "word", "number", "string", "list", "spaces", "layers", "unterminated", "junk",
).map((kind) => {
  const N = 100_000;
  const line = {
    comment: `# ${"x".repeat(N)}`,
    word: `  ${"a".repeat(N)}`,
    number: `  dense ${"9".repeat(N)} relu`,
    string: `  dropout "${"s".repeat(N)}"`,
    list: `  repeat 1 with filters = [${Array(N / 4).fill("8").join(",")}] { conv 3x3 filters same }`,
    spaces: `  dropout${" ".repeat(N)}0.1`,
    layers: `  ${Array(N / 20).fill("dropout 0.1").join("; ")}`,
    unterminated: `  dropout "${"u".repeat(N)}`,
    junk: `  ${"@".repeat(N)}`,
  }[kind];
  return { text: SEED_SPEC.replace("  flatten", `${line}\n  flatten`), original: SEED_SPEC };
});

export const ARBITRARIES: Readonly<Record<string, fc.Arbitrary<FuzzInput>>> = { tokenSpec, nesting, hugeNumbers, unicode, longLines };
