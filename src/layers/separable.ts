/** `separable 3x3 64 relu [multiplier 1]`: Keras SeparableConv2D (depthwise then 1x1 pointwise). */
import { glorot, needsRank3, spatial, type LayerKind } from "./kind.js";
import { activationOption, biasOption, filtersOption, kernelOption, paddingOption, strideOption, tfjsActivation } from "./common.js";
import { optBool, optNum, optPair, optStr } from "../schema/signature.js";

export const separable: LayerKind = {
  kind: "separable",
  abbrev: "sepconv",
  summary: "depthwise-separable 2-D convolution (Keras SeparableConv2D)",
  example: "separable 3x3 64 relu same",
  signature: {
    options: [
      kernelOption,
      filtersOption,
      { name: "multiplier", type: { t: "int", min: 1 }, default: 1, aliases: ["depth-multiplier"], doc: "depthwise channels per input channel" },
      strideOption([1, 1]),
      paddingOption,
      activationOption,
      biasOption,
    ],
  },
  shape(input, o) {
    const k = optPair(o, "kernel");
    return needsRank3("separable", input) ?? spatial(`separable ${k[0]}x${k[1]}`, input, k, optPair(o, "stride"), optStr(o, "padding"), optNum(o, "filters"));
  },
  params(input, o) {
    const [kh, kw] = optPair(o, "kernel");
    const mid = input[2]! * optNum(o, "multiplier");
    const f = optNum(o, "filters");
    return { trainable: kh * kw * mid + mid * f + (optBool(o, "bias") ? f : 0), nonTrainable: 0 };
  },
  // Depthwise (kh x kw per mid channel) then pointwise (mid per output element), at the output's H x W.
  macs(input, output, o) {
    const [kh, kw] = optPair(o, "kernel");
    const mid = input[2]! * optNum(o, "multiplier");
    return output[0]! * output[1]! * (mid * kh * kw + mid * optNum(o, "filters"));
  },
  build(tfl, o, ctx) {
    // Two initialisers from one layer seed: offset the pointwise one so they differ.
    return tfl.layers.separableConv2d({
      name: ctx.name,
      filters: optNum(o, "filters"),
      kernelSize: [...optPair(o, "kernel")],
      depthMultiplier: optNum(o, "multiplier"),
      strides: [...optPair(o, "stride")],
      padding: optStr(o, "padding") as "valid" | "same",
      activation: tfjsActivation(optStr(o, "activation")) as never,
      useBias: optBool(o, "bias"),
      depthwiseInitializer: glorot(tfl, ctx.seed),
      pointwiseInitializer: glorot(tfl, (ctx.seed + 1) >>> 0),
      biasInitializer: "zeros",
    });
  },
};
