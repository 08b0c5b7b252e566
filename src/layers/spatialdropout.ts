/** `spatialdropout 0.1`: Keras SpatialDropout2D, drops whole channels. */
import { needsRank3, NO_MACS, NO_PARAMS, ok, type LayerKind } from "./kind.js";
import { rateOption } from "./dropout.js";
import { onlyInput } from "./lowering.js";
import { numberOption } from "../schema/signature.js";

export const spatialdropout: LayerKind = {
  kind: "spatialdropout",
  abbrev: "sdrop",
  summary: "drop whole feature maps while training (Keras SpatialDropout2D)",
  example: "spatialdropout 0.1",
  signature: { options: [rateOption] },
  shape: (input) => needsRank3("spatialdropout", input) ?? ok(input),
  params: () => NO_PARAMS,
  macs: NO_MACS,
  // tfjs-layers has no SpatialDropout2D; Dropout with noiseShape [batch, 1, 1, C] is the same
  // operation (one mask value per channel, broadcast over height and width). null = input's size.
  build: (tfl, o, ctx) =>
    tfl.layers.dropout({ name: ctx.name, rate: numberOption(o, "rate"), noiseShape: [null, 1, 1, null] as unknown as number[] }),
  // The identity at inference.
  onnx: onlyInput,
};
