/** `conv 3x3 32 relu [stride 2] [same] [bias off]`: Keras Conv2D. */
import { elements, glorot, needsRank3, spatial, type LayerKind } from "./kind.js";
import { activationOption, biasOption, filtersOption, kernelOption, paddingOption, strideOption, tfjsActivation } from "./common.js";
import { optBool, optNum, optPair, optStr } from "../schema/signature.js";

export const conv: LayerKind = {
  kind: "conv",
  abbrev: "conv",
  summary: "2-D convolution (Keras Conv2D)",
  example: "conv 3x3 32 relu same",
  signature: {
    options: [
      kernelOption,
      filtersOption,
      strideOption([1, 1]),
      paddingOption,
      activationOption,
      biasOption,
    ],
  },
  shape(input, o) {
    const k = optPair(o, "kernel");
    return needsRank3("conv", input) ?? spatial(`conv ${k[0]}x${k[1]}`, input, k, optPair(o, "stride"), optStr(o, "padding"), optNum(o, "filters"));
  },
  params(input, o) {
    const [kh, kw] = optPair(o, "kernel");
    const f = optNum(o, "filters");
    return { trainable: kh * kw * input[2]! * f + (optBool(o, "bias") ? f : 0), nonTrainable: 0 };
  },
  // Each output element: a kh x kw x C_in window (the bias is an add, not a multiply-add).
  macs(input, output, o) {
    const [kh, kw] = optPair(o, "kernel");
    return elements(output) * kh * kw * input[2]!;
  },
  build(tfl, o, ctx) {
    return tfl.layers.conv2d({
      name: ctx.name,
      filters: optNum(o, "filters"),
      kernelSize: [...optPair(o, "kernel")],
      strides: [...optPair(o, "stride")],
      padding: optStr(o, "padding") as "valid" | "same",
      activation: tfjsActivation(optStr(o, "activation")) as never,
      useBias: optBool(o, "bias"),
      kernelInitializer: glorot(tfl, ctx.seed),
      biasInitializer: "zeros",
    });
  },
};
