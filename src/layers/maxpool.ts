/** `maxpool 2x2 [stride 2] [same]`: Keras MaxPooling2D. */
import { poolKind, poolStride } from "./pooling.js";
import { optPair, optStr } from "../schema/signature.js";

export const maxpool = poolKind("maxpool", "pool", "max pooling (Keras MaxPooling2D)", "maxpool 2x2", "MaxPool", (tfl, o, ctx) =>
  tfl.layers.maxPooling2d({
    name: ctx.name,
    poolSize: [...optPair(o, "size")],
    strides: [...poolStride(o)],
    padding: optStr(o, "padding") as "valid" | "same",
  }),
);
