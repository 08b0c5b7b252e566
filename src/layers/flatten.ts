/** `flatten`: HxWxC → H*W*C. */
import { NO_MACS, NO_PARAMS, ok, type LayerKind } from "./kind.js";

export const flatten: LayerKind = {
  kind: "flatten",
  abbrev: "flatten",
  summary: "flatten a feature map into a vector (Keras Flatten)",
  example: "flatten",
  signature: { options: [] },
  shape: (input) => ok([input.reduce((a, b) => a * b, 1)]),
  params: () => NO_PARAMS,
  macs: NO_MACS,
  build: (tfl, _o, ctx) => tfl.layers.flatten({ name: ctx.name }),
};
