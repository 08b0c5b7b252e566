/** `globalavgpool`: Keras GlobalAveragePooling2D, HxWxC → C. */
import { needsRank3, NO_MACS, NO_PARAMS, ok, type LayerKind } from "./kind.js";

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
};
