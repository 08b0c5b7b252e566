/** `avgpool 2x2 [stride 2] [same]`: Keras AveragePooling2D. */
import { poolKind, poolStride } from "./pooling.js";
import { optPair, optStr } from "../schema/signature.js";

export const avgpool = poolKind("avgpool", "avgpool", "average pooling (Keras AveragePooling2D)", "avgpool 2x2", "AveragePool", (tfl, o, ctx) =>
  tfl.layers.averagePooling2d({
    name: ctx.name,
    poolSize: [...optPair(o, "size")],
    strides: [...poolStride(o)],
    padding: optStr(o, "padding") as "valid" | "same",
  }),
);
