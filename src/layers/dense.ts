/** `dense 256 relu [bias off]`: Keras Dense on a vector (flatten or pool first). */
import { fail, formatShape, glorot, ok, type LayerKind } from "./kind.js";
import { activationOption, biasOption, INLINE_ACTIVATIONS, tfjsActivation } from "./common.js";
import { onlyInput, withActivation } from "./lowering.js";
import { UnsupportedLayerError, weight } from "../onnx/values.js";
import { boolOption, numberOption, wordOption } from "../schema/signature.js";

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
    return ok([numberOption(o, "units")]);
  },
  params(input, o) {
    const u = numberOption(o, "units");
    return { trainable: input[0]! * u + (boolOption(o, "bias") ? u : 0), nonTrainable: 0 };
  },
  macs: (input, _output, o) => input[0]! * numberOption(o, "units"),
  build(tfl, o, ctx) {
    return tfl.layers.dense({
      name: ctx.name,
      units: numberOption(o, "units"),
      activation: tfjsActivation(wordOption(o, "activation", INLINE_ACTIVATIONS)),
      useBias: boolOption(o, "bias"),
      kernelInitializer: glorot(tfl, ctx.seed),
      biasInitializer: "zeros",
    });
  },
  // Keras kernel [in, units] is MatMul's layout already.
  onnx(s) {
    const x = onlyInput(s);
    if (x.shape.length !== 1) throw new UnsupportedLayerError(s.name, `dense on a ${x.shape.length}-D input is not exported (flatten first)`);
    const k = weight(s.weights, s.name, "kernel");
    const b = s.weights.get("bias");
    let y = s.g.op("MatMul", [x.name, s.g.floatTensor(`${s.name}.kernel`, k.shape, k.values)], b ? `${s.name}.matmul` : s.name);
    if (b) y = s.g.op("Add", [y, s.g.floatTensor(`${s.name}.bias`, b.shape, b.values)], s.name);
    return withActivation(s, y, "nhwc", wordOption(s.layer.options, "activation", INLINE_ACTIVATIONS));
  },
};
