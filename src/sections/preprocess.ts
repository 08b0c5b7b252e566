/** `preprocess { scale; standardize per-image|dataset }`: steps, applied in written order. */
import type { PreprocessIR } from "../ir.js";
import { stmt, word } from "../schema/build.js";
import type { SectionSchema } from "../schema/section.js";

export const PREPROCESS: SectionSchema<PreprocessIR> = {
  name: "preprocess",
  summary: "pixel preprocessing steps, in order",
  sorted: false,
  statements: [
    {
      head: "scale",
      signature: { options: [] },
      doc: "divide pixels by 255",
      toIR: (p, _s, b) => b && (p.steps = [...p.steps, { op: "scale" }]),
    },
    {
      head: "standardize",
      signature: {
        options: [{ name: "mode", type: { t: "enum", values: ["per-image", "dataset"] }, default: "per-image", positional: true, bare: true, doc: "per image, or with the train split's mean/std" }],
      },
      toIR: (p, _s, b) => b && (p.steps = [...p.steps, { op: "standardize", mode: b.options["mode"] as "per-image" | "dataset" }]),
    },
  ],
  defaults: () => ({ steps: [] }),
  fromIR: (p) => p.steps.map((s) => (s.op === "scale" ? stmt("scale") : stmt("standardize", [word(s.mode)]))),
};
