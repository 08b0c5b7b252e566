/** `conv 3x3 32 relu [stride 2] [same] [bias off]`: Keras Conv2D. */
import { elements, glorot, type LayerKind } from "./kind.js";
import { convNode, convOptions, convShape, convSignature, filters, tfjsConvConfig } from "./convFamily.js";
import { onlyInput, withActivation } from "./lowering.js";
import { permute, weight } from "../onnx/values.js";
import { pairOption } from "../schema/signature.js";

export const conv: LayerKind = {
  kind: "conv",
  abbrev: "conv",
  summary: "2-D convolution (Keras Conv2D)",
  example: "conv 3x3 32 relu same",
  signature: convSignature({ filters: true }),
  shape: (input, o) => convShape("conv", input, o, filters(o)),
  params(input, o) {
    const { kernel: [kh, kw], bias } = convOptions(o);
    const f = filters(o);
    return { trainable: kh * kw * input[2]! * f + (bias ? f : 0), nonTrainable: 0 };
  },
  // Each output element: a kh x kw x C_in window (the bias is an add, not a multiply-add). Reads
  // the kernel alone: a layer whose activation or padding a mistake left unknown still has macs.
  macs(input, output, o) {
    const [kh, kw] = pairOption(o, "kernel");
    return elements(output) * kh * kw * input[2]!;
  },
  build(tfl, o, ctx) {
    return tfl.layers.conv2d({ ...tfjsConvConfig(o, ctx), filters: filters(o), kernelInitializer: glorot(tfl, ctx.seed) });
  },
  fusedTraining: async (tfl) => (await import("../backend/fusedConv.js")).installFusedConv2D(tfl),
  // Keras kernel [kh, kw, cin, cout] → ONNX [cout, cin, kh, kw].
  onnx(s) {
    const c = convOptions(s.layer.options);
    const k = weight(s.weights, s.name, "kernel");
    const [kh, kw, cin, cout] = k.shape as [number, number, number, number];
    const bias = s.weights.get("bias");
    const y = convNode(s.g, onlyInput(s), s.name, c, [kh, kw], 1, () => [
      s.g.floatTensor(`${s.name}.kernel`, [cout, cin, kh, kw], permute(k.values, k.shape, [3, 2, 0, 1])),
      ...(bias ? [s.g.floatTensor(`${s.name}.bias`, [cout], bias.values)] : []),
    ]);
    return withActivation(s, y, "nchw", c.activation);
  },
};
