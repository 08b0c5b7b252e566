/** `dense 256 relu [bias off]`: Keras Dense on a vector (flatten or pool first). */
import { fail, formatShape, glorot, ok, type LayerKind } from "./kind.js";
import { activationOption, biasOption, tfjsActivation } from "./common.js";
import { optBool, optNum, optStr } from "../schema/signature.js";

export const dense: LayerKind = {
  kind: "dense",
  abbrev: "dense",
  summary: "fully connected layer (Keras Dense)",
  example: "dense 256 relu",
  signature: {
    options: [
      { name: "units", type: { t: "int", min: 1 }, required: true, positional: true, doc: "number of outputs" },
      activationOption,
      biasOption,
    ],
  },
  shape(input, o) {
    // Keras Dense would act on the last axis of a feature map; in a classifier that is almost
    // always a missing flatten, so it is an error here.
    if (input.length !== 1) return fail("F0302", `dense needs a vector, got ${formatShape(input)}; add flatten or globalavgpool before it`);
    return ok([optNum(o, "units")]);
  },
  params(input, o) {
    const u = optNum(o, "units");
    return { trainable: input[0]! * u + (optBool(o, "bias") ? u : 0), nonTrainable: 0 };
  },
  macs: (input, _output, o) => input[0]! * optNum(o, "units"),
  build(tfl, o, ctx) {
    return tfl.layers.dense({
      name: ctx.name,
      units: optNum(o, "units"),
      activation: tfjsActivation(optStr(o, "activation")) as never,
      useBias: optBool(o, "bias"),
      kernelInitializer: glorot(tfl, ctx.seed),
      biasInitializer: "zeros",
    });
  },
};
