/**
 * `augment { rotate 40deg; shift 0.2 0.2; shear 0.2rad; zoom 0.1; flip horizontal; crop padding 4;
 * erase 0.5; fill nearest; random-crop 40x40; mixup 0.2 }`. Angles accept deg or rad and are converted (rotate is stored in
 * degrees, shear in radians, matching Keras' ImageDataGenerator).
 */
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import type { AugmentIR } from "../ir.js";
import type { Signature } from "../layers/signature.js";
import type { Statement } from "../syntax/ast.js";
import { bindStatement } from "./bind.js";
import { walkSection } from "./section.js";

const frac = (name: string, doc: string, extra: object = {}) => ({
  name,
  type: { t: "number", min: 0, max: 1, unit: "percent" } as const,
  positional: true,
  doc,
  ...extra,
});

export const AUGMENT_SIGS: Readonly<Record<string, Signature>> = {
  rotate: { options: [{ name: "degrees", type: { t: "number", min: 0, max: 180, unit: "angle", angleIn: "deg" }, required: true, positional: true, doc: "max rotation either way (deg or rad)" }] },
  shift: { options: [frac("x", "max horizontal shift, fraction of width", { required: true }), frac("y", "max vertical shift (default: x)")] },
  shear: { options: [{ name: "angle", type: { t: "number", min: 0, max: Math.PI / 2, exclusiveMax: true, unit: "angle", angleIn: "rad" }, required: true, positional: true, doc: "max shear angle (rad or deg)" }] },
  zoom: {
    options: [
      { name: "amount", type: { t: "number", min: 0, unit: "percent" }, required: true, positional: true, doc: "0.1 → [0.9, 1.1]; with a second value, the range [a, b]" },
      { name: "max", type: { t: "number", min: 0, exclusiveMin: true }, positional: true, doc: "upper end of an explicit range" },
    ],
  },
  flip: { options: [{ name: "direction", type: { t: "enum", values: ["horizontal", "none"] }, default: "horizontal", positional: true, bare: true, doc: "mirror left-right" }] },
  crop: { options: [{ name: "padding", type: { t: "int", min: 0, max: 24 }, required: true, positional: true, doc: "pad by N pixels then crop back at a random offset" }] },
  erase: { options: [frac("probability", "random-erasing probability", { required: true })] },
  "random-crop": { options: [{ name: "size", type: { t: "size" }, required: true, positional: true, doc: "train on random HxW windows (the model's input); val/test/predict use the centre one" }] },
  mixup: { options: [{ name: "alpha", type: { t: "number", min: 0, exclusiveMin: true, max: 10 }, required: true, positional: true, doc: "mix each batch with itself shuffled, λ ~ Beta(alpha, alpha) (0.2 is usual)" }] },
  fill: { options: [{ name: "mode", type: { t: "enum", values: ["nearest", "constant"] }, required: true, positional: true, bare: true, doc: "pixels warped in from outside" }] },
};

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

export function checkAugment(stmt: Statement | undefined, ds: Diagnostic[]): AugmentIR {
  if (!stmt) return NO_AUGMENT;
  const a: { -readonly [K in keyof AugmentIR]: AugmentIR[K] } = { ...NO_AUGMENT, declared: true };
  const rule = (head: string, apply: (o: Record<string, unknown>, s: Statement) => void) => ({
    run: (s: Statement) => {
      const b = bindStatement(head, AUGMENT_SIGS[head]!, s, ds);
      if (b.complete) apply(b.options, s);
    },
  });
  walkSection("augment", stmt.block, {
    rotate: rule("rotate", (o) => (a.rotateDeg = o["degrees"] as number)),
    shift: rule("shift", (o) => {
      a.shiftX = o["x"] as number;
      a.shiftY = (o["y"] as number | undefined) ?? a.shiftX;
    }),
    shear: rule("shear", (o) => (a.shearRad = o["angle"] as number)),
    zoom: rule("zoom", (o, s) => {
      const lo = o["amount"] as number;
      const hi = o["max"] as number | undefined;
      if (hi === undefined) {
        if (lo >= 1) ds.push(diagnostic("F0202", `zoom ${lo} must be below 1 (it is ±, giving [1 - z, 1 + z])`, s.args[0]!.span));
        else a.zoom = [1 - lo, 1 + lo];
      } else if (!(lo > 0 && lo <= hi)) ds.push(diagnostic("F0202", `zoom range [${lo}, ${hi}] must have 0 < min <= max`, s.span));
      else a.zoom = [lo, hi];
    }),
    flip: rule("flip", (o) => (a.flipHorizontal = o["direction"] === "horizontal")),
    crop: rule("crop", (o) => (a.cropPadding = o["padding"] as number)),
    erase: rule("erase", (o) => (a.erase = o["probability"] as number)),
    fill: rule("fill", (o) => (a.fill = o["mode"] as "nearest" | "constant")),
    mixup: rule("mixup", (o) => (a.mixup = o["alpha"] as number)),
    "random-crop": rule("random-crop", (o) => {
      const [h, w] = o["size"] as readonly [number, number];
      a.randomCrop = [h, w];
    }),
  }, ds);
  return a;
}
