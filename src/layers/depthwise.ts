/** `depthwise 3x3 [multiplier 2] [stride 2] [same]`: Keras DepthwiseConv2D (one filter per channel). */
import { elements, glorot, type LayerKind } from "./kind.js";
import { convOptions, convShape, convSignature, depthwiseNode, multiplier, multiplierOption, tfjsConvConfig } from "./convFamily.js";
import { onlyInput, withActivation } from "./lowering.js";
import { pairOption } from "../schema/signature.js";

export const depthwise: LayerKind = {
  kind: "depthwise",
  abbrev: "dwconv",
  summary: "depthwise 2-D convolution (Keras DepthwiseConv2D)",
  example: "depthwise 3x3 multiplier 1 same relu",
  signature: convSignature({ filters: false, multiplier: multiplierOption("output channels per input channel") }),
  shape: (input, o) => convShape("depthwise", input, o, input[2]! * multiplier(o)),
  params(input, o) {
    const { kernel: [kh, kw], bias } = convOptions(o);
    const out = input[2]! * multiplier(o);
    return { trainable: kh * kw * out + (bias ? out : 0), nonTrainable: 0 };
  },
  // Each output element: one kh x kw window of its own input channel.
  macs(_input, output, o) {
    const [kh, kw] = pairOption(o, "kernel");
    return elements(output) * kh * kw;
  },
  build(tfl, o, ctx) {
    return tfl.layers.depthwiseConv2d({ ...tfjsConvConfig(o, ctx), depthMultiplier: multiplier(o), depthwiseInitializer: glorot(tfl, ctx.seed) });
  },
  onnx(s) {
    const c = convOptions(s.layer.options);
    const bias = s.weights.get("bias");
    const y = depthwiseNode(s, onlyInput(s), s.name, c, (channels) => (bias ? [s.g.floatTensor(`${s.name}.bias`, [channels], bias.values)] : []));
    return withActivation(s, y, "nchw", c.activation);
  },
};
