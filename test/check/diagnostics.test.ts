/** Table-driven: each bad input reports the expected code (and message fragment), nothing crashes. */
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import { didYouMean, editDistance } from "../../src/diagnostics.js";
import { checkModelBody, codes, specWith } from "./helpers.js";

interface Case {
  readonly what: string;
  readonly src: string;
  readonly code: string;
  /** Further diagnostics the input rightly gets besides `code` (all of them, sorted by code). */
  readonly also?: readonly string[];
  readonly message?: RegExp;
  readonly hint?: RegExp;
}

const M = (model: string, opts?: Parameters<typeof specWith>[1]) => specWith(model, opts);
const OK_TAIL = "flatten; dense 7 softmax";

const CASES: readonly Case[] = [
  // sections
  { what: "unknown section", src: "spec a\ndataset d {}\nmodel { flatten; dense 7 softmax }\ntrain {}\nmodell {}", code: "F0101", hint: /"model"/ },
  { what: "duplicate section", src: M(OK_TAIL, { extra: "train {}" }), code: "F0103" },
  { what: "missing section", src: "spec a\ndataset d {}\ntrain {}", code: "F0104", message: /model/ },
  { what: "missing spec name", src: "spec\ndataset d {}\nmodel { flatten; dense 7 softmax }\ntrain {}", code: "F0105" },
  // statements and options
  { what: "unknown layer with alias hint", src: M(`conv2d 3x3 8; ${OK_TAIL}`), code: "F0102", hint: /"conv"/ },
  { what: "unknown layer typo", src: M(`batchnrom; ${OK_TAIL}`), code: "F0102", hint: /"batchnorm"/ },
  { what: "unknown option", src: M(`conv 3x3 8 strid 2; ${OK_TAIL}`), code: "F0106", hint: /"stride"/ },
  { what: "unknown enum-ish word", src: M(`conv 3x3 8 rellu; ${OK_TAIL}`), code: "F0106", hint: /"relu"/ },
  { what: "transposed enum-ish word", src: M(`conv 3x3 8 rleu; ${OK_TAIL}`), code: "F0106", hint: /"relu"/ },
  { what: "duplicate option", src: M(`conv 3x3 8 stride 1 stride 2; ${OK_TAIL}`), code: "F0107" },
  { what: "missing required", src: M(`conv 3x3; ${OK_TAIL}`), code: "F0108", message: /FILTERS/ },
  { what: "block on a plain layer", src: M(`conv 3x3 8 { flatten }; ${OK_TAIL}`), code: "F0110" },
  { what: "residual without block", src: M(`residual; ${OK_TAIL}`), code: "F0111" },
  { what: "too many arguments", src: M(`conv 3x3 8 9; ${OK_TAIL}`), code: "F0112" },
  { what: "duplicate explicit name", src: M("flatten; dense 7 relu as fc; dense 7 softmax as fc"), code: "F0113" },
  { what: "explicit name clashes with auto name", src: M("flatten as dense2; dense 8 relu; dense 7 softmax"), code: "F0113" },
  { what: "unknown train statement", src: M(OK_TAIL, { train: "optimiser adam" }), code: "F0102", hint: /"optimizer"/ },
  // values
  { what: "float where int", src: M(`conv 3x3 1.5; ${OK_TAIL}`), code: "F0201", message: /whole number/ },
  { what: "dropout out of range", src: M(`dropout 1.0; ${OK_TAIL}`), code: "F0202", message: /\[0, 1\)/ },
  { what: "negative size", src: M(`conv 0x3 8; ${OK_TAIL}`), code: "F0202" },
  { what: "bad enum", src: M(`conv 3x3 8 padding=full; ${OK_TAIL}`), code: "F0203", hint: /valid|same/ },
  { what: "transposed enum value (positional)", src: M(OK_TAIL, { train: "optimizer adma" }), code: "F0203", hint: /^did you mean "adam"\?$/ },
  { what: "transposed enum value (keyword)", src: M(`conv 3x3 8 padding=smae; ${OK_TAIL}`), code: "F0203", hint: /^did you mean "same"\?$/ },
  { what: "transposed enum value (option)", src: M(OK_TAIL, { train: "early-stop val.loss mode mxa" }), code: "F0203", hint: /^did you mean "max"\?$/ },
  { what: "misspelled schedule", src: M(OK_TAIL, { train: "schedule cosnie" }), code: "F0203", hint: /^did you mean "cosine"\?$/ },
  { what: "unit where none fits", src: M(`conv 3x3 8deg; ${OK_TAIL}`), code: "F0204" },
  { what: "angle unit on zoom", src: M(OK_TAIL, { extra: "augment { zoom 0.1deg }" }), code: "F0204" },
  { what: "repeat list length", src: M(`repeat 3 with f = [8, 16] { conv 3x3 f }; ${OK_TAIL}`), code: "F0205", message: /2 values, needs 3/ },
  { what: "duplicate class", src: M(OK_TAIL, { dataset: "classes a b a" }), code: "F0206" },
  // shapes
  { what: "collapse below 1", src: M(`repeat 6 { maxpool 2x2 }; ${OK_TAIL}`), code: "F0301", message: /maxpool 2x2 needs at least 2x2 input, got 1x1x1/ },
  { what: "conv after flatten", src: M("flatten; conv 3x3 8; dense 7 softmax"), code: "F0302", message: /HxWxC.*2304/ },
  { what: "dense on a feature map", src: M("dense 7 softmax"), code: "F0302", message: /flatten/ },
  { what: "output units vs classes", src: M("flatten; dense 10 softmax"), code: "F0303", message: /7 classes/ },
  { what: "residual mismatch", src: M(`residual { conv 3x3 8 }; ${OK_TAIL}`), code: "F0304", message: /46x46x8.*48x48x1/ },
  { what: "bad input shape", src: M(OK_TAIL, { dataset: "input 48x48x0" }), code: "F0305" },
  { what: "empty model", src: "spec a\ndataset d {}\nmodel {}\ntrain {}", code: "F0306" },
  // policy
  { what: "softmax with cross-entropy", src: M("flatten; dense 7 relu", { train: "loss categorical-crossentropy" }), code: "F0401" },
  { what: "early-stop monitor", src: M(OK_TAIL, { train: "early-stop val.los" }), code: "F0402", hint: /"val.loss"/ },
  { what: "plateau monitor", src: M(OK_TAIL, { train: "schedule plateau monitor val_los" }), code: "F0402" },
  { what: "option of another optimizer", src: M(OK_TAIL, { train: "optimizer adam momentum 0.9" }), code: "F0404" },
  // expect
  { what: "params mismatch", src: M(OK_TAIL, { extra: "expect { params total 5 }" }), code: "F0501", message: /16,135/ },
  { what: "shape mismatch", src: M(OK_TAIL, { extra: "expect { shape flatten1 = 3x3 }" }), code: "F0502", message: /2304/ },
  { what: "unknown layer in expect", src: M(OK_TAIL, { extra: "expect { shape dense3 = 7 }" }), code: "F0503", hint: /dense1/ },
  // a mistake in a repeat body does not depend on the iteration: reported once, at its place
  { what: "typo inside a repeat body", src: M(`repeat 3 { conv 3x3 8 rleu }; ${OK_TAIL}`), code: "F0106", hint: /^did you mean "relu"\?$/ },
  { what: "a name reused in every iteration", src: M(`flatten; repeat 3 { dense 8 as fc; dense 8 as fc }; dense 7 softmax`), code: "F0113", message: /"block1.fc" is already used/ },
  { what: "bad value inside a nested repeat", src: M(`repeat 2 { repeat 2 { dropout 2 } }; ${OK_TAIL}`), code: "F0202" },
  { what: "empty residual branch (x + x)", src: M(`residual { }; ${OK_TAIL}`), code: "F0114", message: /empty branch/ },
  { what: "capital X in a size", src: M(`conv 3X3 8; ${OK_TAIL}`), code: "F0004", message: /3X3/, hint: /^write 3x3$/ },
  { what: "capital X in the input size", src: M(OK_TAIL, { dataset: "input 48X48x1" }), code: "F0004", hint: /^write 48x48x1$/ },
  { what: "multiplication sign in a size", src: M(`conv 3\u00d73 8; ${OK_TAIL}`), code: "F0001", also: ["F0112"], hint: /letter x: 3x3/ },
  // limits
  { what: "huge dense", src: M("flatten; dense 1000000000 relu; dense 7 softmax"), code: "F0601", also: ["F0601"], message: /GiB/ },
];

describe("diagnostics", () => {
  it.each(CASES)("$what → $code", ({ src, code, also, message, hint }) => {
    const r = checkSource(src);
    // The exact set: a wrong extra diagnostic (a follow-on error, a duplicate) fails the case.
    expect(codes(r), JSON.stringify(r.diagnostics.map((x) => `${x.code} ${x.message}`))).toEqual([code, ...(also ?? [])].sort());
    const d = r.diagnostics.find((x) => x.code === code);
    if (message) expect(d!.message).toMatch(message);
    if (hint) expect(d!.hint ?? "").toMatch(hint);
    expect(r.ok).toBe(false);
    expect(r.spec).toBeUndefined();
  });

  it("reports every error of a file in one pass", () => {
    const r = checkModelBody("conv 3x3 1.5; conv2d 3x3 8\nflatten; dropout 2; dense 7 softmax", {
      train: "batch 0; early-stop val.los; optimiser sgd",
      extra: "augmnt {}",
    });
    expect(r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.column}`)).toEqual([
      "F0201 4:10", // conv 3x3 1.5
      "F0102 4:15", // conv2d
      "F0202 5:18", // dropout 2
      "F0202 7:15", // batch 0
      "F0402 7:29", // val.los
      "F0102 7:38", // optimiser
      "F0101 8:1", //  augmnt
    ]);
  });

  it("an unknown shape stops shape checks downstream instead of cascading", () => {
    const r = checkModelBody("conv2d 3x3 8; maxpool 2x2; conv 3x3 8; flatten; dense 7 softmax");
    expect(codes(r)).toEqual(["F0102"]);
    expect(r.layers.map((l) => l.outputShape.length)).toEqual([0, 0, 0, 0]);
  });

  it("units convert: rotate 0.7rad → degrees, shear 5deg → radians, 25% → 0.25", () => {
    const r = checkSource(M(OK_TAIL, { extra: "augment { rotate 0.7rad; shear 5deg; erase 25% }" }));
    expect(r.ok).toBe(true);
    expect(r.spec!.augment.rotateDeg).toBeCloseTo((0.7 * 180) / Math.PI);
    expect(r.spec!.augment.shearRad).toBeCloseTo((5 * Math.PI) / 180);
    expect(r.spec!.augment.erase).toBe(0.25);
  });

  it("reports an out-of-range literal once, whatever reads it", () => {
    const once = [
      M(OK_TAIL, { train: "epochs 1e999" }),
      M(OK_TAIL, { train: "optimizer adam lr 1e999" }),
      M(`conv 3x3 1e999; ${OK_TAIL}`),
      M(`repeat 1e999 { dropout 0.1 }; ${OK_TAIL}`),
      M(`repeat 2 with f = [1e999, 8] { conv 3x3 f }; ${OK_TAIL}`),
      M(OK_TAIL, { dataset: "input 99999999999999999999x48x1" }),
      M(OK_TAIL, { extra: "expect { params total 1e999 }" }),
      M(OK_TAIL, { extra: "expect { shape flatten1 = 1e999 }" }),
    ];
    for (const src of once) {
      const r = checkSource(src);
      expect(r.diagnostics.map((d) => `${d.code} ${d.message}`), src).toEqual([expect.stringMatching(/^F0004 .*out of range$/)]);
      expect(r.ok).toBe(false);
      expect(r.spec).toBeUndefined();
    }
  });

  it("points the collapse at the layer that collapses", () => {
    const src = M(`maxpool 2x2; maxpool 2x2; maxpool 2x2; maxpool 2x2; maxpool 2x2\nmaxpool 2x2; ${OK_TAIL}`);
    const d = checkSource(src).diagnostics.find((x) => x.code === "F0301")!;
    expect(src.slice(d.span.offset, d.span.offset + d.span.length)).toBe("maxpool 2x2");
    expect(d.span.line).toBe(5); // the sixth pool: 48 → 24 → 12 → 6 → 3 → 1 → ?
  });
});

describe("did you mean", () => {
  it("counts a swap of adjacent letters as one edit (optimal string alignment)", () => {
    expect(editDistance("rleu", "relu")).toBe(1);
    expect(editDistance("adma", "adam")).toBe(1);
    expect(editDistance("ab", "ba")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("abc", "")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
    // OSA edits no substring twice: "ca" → "abc" is 3, not the unrestricted Damerau 2.
    expect(editDistance("ca", "abc")).toBe(3);
    for (const [a, b] of [["trian", "train"], ["conv2d", "conv"], ["mxa", "max"]] as const) expect(editDistance(a, b)).toBe(editDistance(b, a));
  });

  it("suggests within floor(length / 3) edits (at least 1)", () => {
    expect(didYouMean("rleu", ["relu", "elu", "selu"])).toBe("relu");
    expect(didYouMean("trian", ["train", "spec"])).toBe("train");
    expect(didYouMean("adma", ["adam", "sgd", "rmsprop"])).toBe("adam");
    expect(didYouMean("Relu", ["relu"])).toBe("relu");
    expect(didYouMean("xyz", ["adam", "sgd"])).toBeUndefined();
    expect(didYouMean("dsg", ["sgd"])).toBeUndefined(); // two swaps: 2 edits > 1
  });
});
