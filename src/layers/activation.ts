/** `activation relu`, `activation leaky-relu alpha 0.2`: a standalone activation layer. */
import { NO_MACS, NO_PARAMS, ok, type LayerKind } from "./kind.js";
import { INLINE_ACTIVATIONS, tfjsActivation } from "./common.js";
import { optNum, optStr } from "../schema/signature.js";

export const activation: LayerKind = {
  kind: "activation",
  abbrev: "act",
  summary: "elementwise activation (Keras Activation, LeakyReLU)",
  example: "activation leaky-relu alpha 0.1",
  signature: {
    options: [
      {
        name: "function",
        type: { t: "enum", values: [...INLINE_ACTIVATIONS, "leaky-relu"] },
        required: true,
        positional: true,
        bare: true,
        doc: "the activation function",
      },
      { name: "alpha", type: { t: "number", min: 0 }, default: 0.3, doc: "negative slope of leaky-relu (Keras default 0.3)" },
    ],
  },
  shape: (input) => ok(input),
  params: () => NO_PARAMS,
  macs: NO_MACS,
  outputActivation: { option: "function", of: (o) => (typeof o["function"] === "string" ? o["function"] : undefined) },
  build(tfl, o, ctx) {
    const fn = optStr(o, "function");
    if (fn === "leaky-relu") return tfl.layers.leakyReLU({ name: ctx.name, alpha: optNum(o, "alpha") });
    return tfl.layers.activation({ name: ctx.name, activation: tfjsActivation(fn) as never });
  },
};
