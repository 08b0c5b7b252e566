/** `dropout 0.25`: Keras Dropout; the rate is the fraction dropped, in [0, 1). */
import { NO_MACS, NO_PARAMS, ok, type LayerKind } from "./kind.js";
import { onlyInput } from "./lowering.js";
import { numberOption } from "../schema/signature.js";

export const rateOption = {
  name: "rate",
  type: { t: "number", min: 0, max: 1, exclusiveMax: true, unit: "percent" },
  required: true,
  positional: true,
  doc: "fraction of units dropped while training, in [0, 1) (`25%` works too)",
} as const;

export const dropout: LayerKind = {
  kind: "dropout",
  abbrev: "drop",
  summary: "randomly zero a fraction of activations while training (Keras Dropout)",
  example: "dropout 0.5",
  signature: { options: [rateOption] },
  shape: (input) => ok(input),
  params: () => NO_PARAMS,
  macs: NO_MACS,
  // No per-layer seed: a seeded tfjs dropout draws the same mask on every step.
  build: (tfl, o, ctx) => tfl.layers.dropout({ name: ctx.name, rate: numberOption(o, "rate") }),
  // Also what spatialdropout builds on (a Dropout with a noise shape).
  fusedTraining: async (tfl) => (await import("../backend/fusedDropout.js")).installFusedDropout(tfl),
  // The identity at inference.
  onnx: onlyInput,
};
