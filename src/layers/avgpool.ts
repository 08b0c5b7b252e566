/** `avgpool 2x2 [stride 2] [same]`: Keras AveragePooling2D. */
import { poolKind, tfjsPoolConfig } from "./pooling.js";

export const avgpool = poolKind("avgpool", "avgpool", "average pooling (Keras AveragePooling2D)", "avgpool 2x2", "AveragePool", (tfl, o, ctx) => tfl.layers.averagePooling2d(tfjsPoolConfig(o, ctx)));
