/** `separable 3x3 64 relu [multiplier 1]`: Keras SeparableConv2D (depthwise then 1x1 pointwise). */
import { glorot, type LayerKind } from "./kind.js";
import { convOptions, convShape, convSignature, depthwiseNode, filters, multiplier, multiplierOption, tfjsConvConfig } from "./convFamily.js";
import { onlyInput, withActivation } from "./lowering.js";
import { permute, weight } from "../onnx/values.js";
import { numberOption, pairOption } from "../schema/signature.js";

export const separable: LayerKind = {
  kind: "separable",
  abbrev: "sepconv",
  summary: "depthwise-separable 2-D convolution (Keras SeparableConv2D)",
  example: "separable 3x3 64 relu same",
  signature: convSignature({ filters: true, multiplier: multiplierOption("depthwise channels per input channel") }),
  shape: (input, o) => convShape("separable", input, o, filters(o)),
  params(input, o) {
    const { kernel: [kh, kw], bias } = convOptions(o);
    const mid = input[2]! * multiplier(o);
    const f = filters(o);
    return { trainable: kh * kw * mid + mid * f + (bias ? f : 0), nonTrainable: 0 };
  },
  // Depthwise (kh x kw per mid channel) then pointwise (mid per output element), at the output's H x W.
  macs(input, output, o) {
    const [kh, kw] = pairOption(o, "kernel");
    const mid = input[2]! * numberOption(o, "multiplier");
    return output[0]! * output[1]! * (mid * kh * kw + mid * numberOption(o, "filters"));
  },
  build(tfl, o, ctx) {
    // Two initialisers from one layer seed: offset the pointwise one so they differ.
    return tfl.layers.separableConv2d({
      ...tfjsConvConfig(o, ctx),
      filters: filters(o),
      depthMultiplier: multiplier(o),
      depthwiseInitializer: glorot(tfl, ctx.seed),
      pointwiseInitializer: glorot(tfl, (ctx.seed + 1) >>> 0),
    });
  },
  // The depthwise step as a grouped Conv, then the pointwise 1x1 Conv, which carries the bias.
  onnx(s) {
    const c = convOptions(s.layer.options);
    const dw = depthwiseNode(s, onlyInput(s), `${s.name}.depthwise`, c, () => []);
    const pk = weight(s.weights, s.name, "pointwise_kernel"); // [1, 1, cin*m, cout]
    const cout = pk.shape[3]!;
    const bias = s.weights.get("bias");
    const pointwise = [dw, s.g.floatTensor(`${s.name}.pointwise_kernel`, [cout, pk.shape[2]!, 1, 1], permute(pk.values, pk.shape, [3, 2, 0, 1]))];
    if (bias) pointwise.push(s.g.floatTensor(`${s.name}.bias`, [cout], bias.values));
    const y = s.g.op("Conv", pointwise, s.name, { kernel_shape: [1, 1], strides: [1, 1], pads: [0, 0, 0, 0], group: 1 });
    return withActivation(s, y, "nchw", c.activation);
  },
};
