/**
 * `batchnorm [momentum .99] [epsilon 1e-3]`: Keras BatchNormalization over the last axis.
 * gamma and beta are trainable (2C); the moving mean and variance are not (2C).
 */
import { elements, type LayerKind, ok } from "./kind.js";
import { onlyInput } from "./lowering.js";
import { toNCHW, weight } from "../onnx/values.js";
import { numberOption } from "../schema/signature.js";

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
    return tfl.layers.batchNormalization({ name: ctx.name, momentum: numberOption(o, "momentum"), epsilon: numberOption(o, "epsilon") });
  },
  fusedTraining: async (tfl) => (await import("../backend/fusedBatchNorm.js")).installFusedBatchNorm(tfl),
  // Over the last (channel) axis, which is axis 1 once the feature map is NCHW.
  onnx(s) {
    const input = onlyInput(s);
    const x = toNCHW(s.g, input);
    const c = input.shape[input.shape.length - 1]!;
    const scale = s.weights.get("gamma")?.values ?? new Float32Array(c).fill(1);
    const shift = s.weights.get("beta")?.values ?? new Float32Array(c);
    const y = s.g.op(
      "BatchNormalization",
      [
        x.name,
        s.g.floatTensor(`${s.name}.gamma`, [c], scale),
        s.g.floatTensor(`${s.name}.beta`, [c], shift),
        s.g.floatTensor(`${s.name}.moving_mean`, [c], weight(s.weights, s.name, "moving_mean").values),
        s.g.floatTensor(`${s.name}.moving_variance`, [c], weight(s.weights, s.name, "moving_variance").values),
      ],
      s.name,
      { epsilon: { float: numberOption(s.layer.options, "epsilon") } },
    );
    return { name: y, shape: input.shape, layout: x.layout };
  },
  // Inference batch norm is a per-channel affine map: it folds into a linear conv before it
  // (W' = W·s, b' = (b − mean)·s + beta with s = gamma / sqrt(var + eps); src/compile/fold.ts).
  fold: { effect: "affine", into: (_self, before) => before.kind === "conv" && before.options["activation"] === "linear" },
};
