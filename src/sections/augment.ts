/**
 * `augment { rotate 40deg; shift 0.2 0.2; shear 0.2rad; zoom 0.1; flip horizontal; crop 4;
 * erase 0.5; fill nearest; random-crop 40x40; mixup 0.2 }`. Angles accept deg or rad and are
 * converted (rotate is stored in degrees, shear in radians, matching Keras' ImageDataGenerator).
 * Statements keep their written order under fmt; the resolved form writes them in this order.
 */
import { diagnostic } from "../diagnostics.js";
import type { AugmentIR } from "../ir.js";
import type { OptionSpec } from "../schema/signature.js";
import { dims, num, stmt, word } from "../schema/build.js";
import type { SectionSchema, StatementSchema } from "../schema/section.js";

const frac = (name: string, doc: string, extra: Partial<OptionSpec> = {}): OptionSpec => ({
  name,
  type: { t: "number", min: 0, max: 1, unit: "percent" },
  positional: true,
  doc,
  ...extra,
});

export const NO_AUGMENT: AugmentIR = {
  declared: false,
  rotateDeg: 0,
  shiftX: 0,
  shiftY: 0,
  shearRad: 0,
  zoom: [1, 1],
  flipHorizontal: false,
  cropPadding: 0,
  erase: 0,
  fill: "nearest",
};

type Augment = StatementSchema<AugmentIR>;

const STATEMENTS: readonly Augment[] = [
  {
    head: "rotate",
    signature: { options: [{ name: "degrees", type: { t: "number", min: 0, max: 180, unit: "angle", angleIn: "deg" }, required: true, positional: true, doc: "max rotation either way (deg or rad)" }] },
    toIR: (a, _s, b) => b && (a.rotateDeg = b.options["degrees"] as number),
    fromIR: (a) => [stmt("rotate", [num(a.rotateDeg, "deg")])],
  },
  {
    head: "shift",
    signature: { options: [frac("x", "max horizontal shift, fraction of width", { required: true }), frac("y", "max vertical shift (default: x)")] },
    toIR: (a, _s, b) => {
      if (!b) return;
      a.shiftX = b.options["x"] as number;
      a.shiftY = (b.options["y"] as number | undefined) ?? a.shiftX;
    },
    fromIR: (a) => [stmt("shift", [num(a.shiftX), num(a.shiftY)])],
  },
  {
    head: "shear",
    signature: { options: [{ name: "angle", type: { t: "number", min: 0, max: Math.PI / 2, exclusiveMax: true, unit: "angle", angleIn: "rad" }, required: true, positional: true, doc: "max shear angle (rad or deg)" }] },
    toIR: (a, _s, b) => b && (a.shearRad = b.options["angle"] as number),
    fromIR: (a) => [stmt("shear", [num(a.shearRad, "rad")])],
  },
  {
    head: "zoom",
    signature: {
      options: [
        { name: "amount", type: { t: "number", min: 0, unit: "percent" }, required: true, positional: true, doc: "0.1 → [0.9, 1.1]; with a second value, the range [a, b]" },
        { name: "max", type: { t: "number", min: 0, exclusiveMin: true }, positional: true, doc: "upper end of an explicit range" },
      ],
    },
    toIR: (a, s, b, cx) => {
      if (!b) return;
      const lo = b.options["amount"] as number;
      const hi = b.options["max"] as number | undefined;
      if (hi === undefined) {
        if (lo >= 1) cx.ds.push(diagnostic("F0202", `zoom ${lo} must be below 1 (it is ±, giving [1 - z, 1 + z])`, s.args[0]!.span));
        else a.zoom = [1 - lo, 1 + lo];
      } else if (!(lo > 0 && lo <= hi)) cx.ds.push(diagnostic("F0202", `zoom range [${lo}, ${hi}] must have 0 < min <= max`, s.span));
      else a.zoom = [lo, hi];
    },
    fromIR: (a) => [stmt("zoom", [num(a.zoom[0]), num(a.zoom[1])])],
  },
  {
    head: "flip",
    signature: { options: [{ name: "direction", type: { t: "enum", values: ["horizontal", "none"] }, default: "horizontal", positional: true, bare: true, doc: "mirror left-right" }] },
    toIR: (a, _s, b) => b && (a.flipHorizontal = b.options["direction"] === "horizontal"),
    fromIR: (a) => [stmt("flip", [word(a.flipHorizontal ? "horizontal" : "none")])],
  },
  {
    head: "crop",
    signature: { options: [{ name: "padding", type: { t: "int", min: 0, max: 24 }, required: true, positional: true, doc: "pad by N pixels then crop back at a random offset" }] },
    toIR: (a, _s, b) => b && (a.cropPadding = b.options["padding"] as number),
    fromIR: (a) => [stmt("crop", [num(a.cropPadding)])],
  },
  {
    head: "erase",
    signature: { options: [frac("probability", "random-erasing probability", { required: true })] },
    toIR: (a, _s, b) => b && (a.erase = b.options["probability"] as number),
    fromIR: (a) => [stmt("erase", [num(a.erase)])],
  },
  {
    head: "fill",
    signature: { options: [{ name: "mode", type: { t: "enum", values: ["nearest", "constant"] }, required: true, positional: true, bare: true, doc: "pixels warped in from outside" }] },
    toIR: (a, _s, b) => b && (a.fill = b.options["mode"] as AugmentIR["fill"]),
    fromIR: (a) => [stmt("fill", [word(a.fill)])],
  },
  {
    head: "random-crop",
    signature: { options: [{ name: "size", type: { t: "size" }, required: true, positional: true, doc: "train on random HxW windows (the model's input); val/test/predict use the centre one" }] },
    toIR: (a, _s, b) => {
      if (!b) return;
      const [h, w] = b.options["size"] as readonly [number, number];
      a.randomCrop = [h, w];
    },
    fromIR: (a) => (a.randomCrop ? [stmt("random-crop", [dims([a.randomCrop[0], a.randomCrop[1]])])] : []),
  },
  {
    head: "mixup",
    signature: { options: [{ name: "alpha", type: { t: "number", min: 0, exclusiveMin: true, max: 10 }, required: true, positional: true, doc: "mix each batch with itself shuffled, λ ~ Beta(alpha, alpha) (0.2 is usual)" }] },
    toIR: (a, _s, b) => b && (a.mixup = b.options["alpha"] as number),
    fromIR: (a) => (a.mixup !== undefined ? [stmt("mixup", [num(a.mixup)])] : []),
  },
];

export const AUGMENT: SectionSchema<AugmentIR> = {
  name: "augment",
  summary: "train-time augmentation ranges",
  sorted: false,
  statements: STATEMENTS,
  defaults: () => ({ ...NO_AUGMENT, declared: true }),
};
