/** `activation relu`, `activation leaky-relu alpha 0.2`: a standalone activation layer. */
import { NO_MACS, NO_PARAMS, ok, type LayerKind } from "./kind.js";
import { INLINE_ACTIVATIONS, tfjsActivation } from "./common.js";
import { numberOption, wordOption } from "../schema/signature.js";
import { onlyInput } from "./lowering.js";
import { activation as onnxActivation } from "../onnx/activation.js";

const FUNCTIONS = [...INLINE_ACTIVATIONS, "leaky-relu"] as const;

export const activation: LayerKind = {
  kind: "activation",
  abbrev: "act",
  summary: "elementwise activation (Keras Activation, LeakyReLU)",
  example: "activation leaky-relu alpha 0.1",
  signature: {
    options: [
      {
        name: "function",
        type: { t: "enum", values: FUNCTIONS },
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
    const fn = wordOption(o, "function", FUNCTIONS);
    if (fn === "leaky-relu") return tfl.layers.leakyReLU({ name: ctx.name, alpha: numberOption(o, "alpha") });
    return tfl.layers.activation({ name: ctx.name, activation: tfjsActivation(fn) });
  },
  onnx(s) {
    const x = onlyInput(s);
    const fn = wordOption(s.layer.options, "function", FUNCTIONS);
    if (fn === "leaky-relu") return { ...x, name: s.g.op("LeakyRelu", [x.name], s.name, { alpha: { float: numberOption(s.layer.options, "alpha") } }) };
    return onnxActivation(s.g, x, tfjsActivation(fn), s.name, s.name);
  },
  // A relu after a conv that took in a batchnorm becomes that conv's activation (src/compile/fold.ts).
  fold: { effect: "activation", into: (self) => self.options["function"] === "relu" },
};
