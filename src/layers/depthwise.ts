/** `depthwise 3x3 [multiplier 2] [stride 2] [same]`: Keras DepthwiseConv2D (one filter per channel). */
import { elements, glorot, needsRank3, spatial, type LayerKind } from "./kind.js";
import { activationOption, biasOption, kernelOption, paddingOption, strideOption, tfjsActivation } from "./common.js";
import { optBool, optNum, optPair, optStr } from "../schema/signature.js";

export const depthwise: LayerKind = {
  kind: "depthwise",
  abbrev: "dwconv",
  summary: "depthwise 2-D convolution (Keras DepthwiseConv2D)",
  example: "depthwise 3x3 multiplier 1 same relu",
  signature: {
    options: [
      kernelOption,
      { name: "multiplier", type: { t: "int", min: 1 }, default: 1, aliases: ["depth-multiplier"], doc: "output channels per input channel" },
      strideOption([1, 1]),
      paddingOption,
      activationOption,
      biasOption,
    ],
  },
  shape(input, o) {
    const k = optPair(o, "kernel");
    const c = input[2]! * optNum(o, "multiplier");
    return needsRank3("depthwise", input) ?? spatial(`depthwise ${k[0]}x${k[1]}`, input, k, optPair(o, "stride"), optStr(o, "padding"), c);
  },
  params(input, o) {
    const [kh, kw] = optPair(o, "kernel");
    const out = input[2]! * optNum(o, "multiplier");
    return { trainable: kh * kw * out + (optBool(o, "bias") ? out : 0), nonTrainable: 0 };
  },
  // Each output element: one kh x kw window of its own input channel.
  macs(_input, output, o) {
    const [kh, kw] = optPair(o, "kernel");
    return elements(output) * kh * kw;
  },
  build(tfl, o, ctx) {
    return tfl.layers.depthwiseConv2d({
      name: ctx.name,
      kernelSize: [...optPair(o, "kernel")],
      depthMultiplier: optNum(o, "multiplier"),
      strides: [...optPair(o, "stride")],
      padding: optStr(o, "padding") as "valid" | "same",
      activation: tfjsActivation(optStr(o, "activation")) as never,
      useBias: optBool(o, "bias"),
      depthwiseInitializer: glorot(tfl, ctx.seed),
      biasInitializer: "zeros",
    });
  },
};
