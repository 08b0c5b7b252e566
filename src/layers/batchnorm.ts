/**
 * `batchnorm [momentum .99] [epsilon 1e-3]`: Keras BatchNormalization over the last axis.
 * gamma and beta are trainable (2C); the moving mean and variance are not (2C).
 */
import { elements, type LayerKind, ok } from "./kind.js";
import { optNum } from "../schema/signature.js";

export const batchnorm: LayerKind = {
  kind: "batchnorm",
  abbrev: "bn",
  summary: "batch normalisation over channels (Keras BatchNormalization)",
  example: "batchnorm momentum 0.99 epsilon 1e-3",
  signature: {
    options: [
      { name: "momentum", type: { t: "number", min: 0, max: 1, exclusiveMax: true }, default: 0.99, doc: "moving-average momentum (Keras default)" },
      { name: "epsilon", type: { t: "number", min: 0, exclusiveMin: true }, default: 1e-3, doc: "added to the variance (Keras default)" },
    ],
  },
  shape: (input) => ok(input),
  params(input) {
    const c = input[input.length - 1]!;
    return { trainable: 2 * c, nonTrainable: 2 * c };
  },
  // Inference form: x * scale + shift, one multiply-add per element.
  macs: (_input, output) => elements(output),
  build(tfl, o, ctx) {
    return tfl.layers.batchNormalization({ name: ctx.name, momentum: optNum(o, "momentum"), epsilon: optNum(o, "epsilon") });
  },
};
