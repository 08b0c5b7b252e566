/**
 * `flatten`: HxWxC (or HxW) → H*W*C. A vector is refused: tfjs' Flatten needs at least two axes
 * per example, so a spec that checked would fail to compile.
 */
import { fail, formatShape, NO_MACS, NO_PARAMS, ok, type LayerKind } from "./kind.js";
import { onlyInput } from "./lowering.js";
import { toNHWC } from "../onnx/values.js";

export const flatten: LayerKind = {
  kind: "flatten",
  abbrev: "flatten",
  summary: "flatten a feature map into a vector (Keras Flatten)",
  example: "flatten",
  signature: { options: [] },
  shape: (input) =>
    input.length < 2
      ? fail("F0302", `flatten needs a feature map, got ${formatShape(input)}, which is already flat; remove the flatten`)
      : ok([input.reduce((a, b) => a * b, 1)]),
  params: () => NO_PARAMS,
  macs: NO_MACS,
  build: (tfl, _o, ctx) => tfl.layers.flatten({ name: ctx.name }),
  // Keras flattens in H, W, C order: back to NHWC first.
  onnx(s) {
    const x = toNHWC(s.g, onlyInput(s));
    return { name: s.g.op("Flatten", [x.name], s.name, { axis: 1 }), shape: s.layer.outputShape, layout: "nhwc" };
  },
};
