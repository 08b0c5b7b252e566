/** `globalavgpool`: Keras GlobalAveragePooling2D, HxWxC → C. */
import { needsRank3, NO_MACS, NO_PARAMS, ok, type LayerKind } from "./kind.js";
import { onlyInput } from "./lowering.js";
import { toNCHW } from "../onnx/values.js";

export const globalavgpool: LayerKind = {
  kind: "globalavgpool",
  abbrev: "gap",
  summary: "mean over height and width (Keras GlobalAveragePooling2D)",
  example: "globalavgpool",
  signature: { options: [] },
  shape: (input) => needsRank3("globalavgpool", input) ?? ok([input[2]!]),
  params: () => NO_PARAMS,
  macs: NO_MACS,
  build: (tfl, _o, ctx) => tfl.layers.globalAveragePooling2d({ name: ctx.name }),
  onnx(s) {
    const x = toNCHW(s.g, onlyInput(s));
    const pooled = s.g.op("GlobalAveragePool", [x.name], `${s.name}.pool`);
    return { name: s.g.op("Flatten", [pooled], s.name, { axis: 1 }), shape: s.layer.outputShape, layout: "nhwc" };
  },
};
