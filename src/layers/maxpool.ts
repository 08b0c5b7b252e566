/** `maxpool 2x2 [stride 2] [same]`: Keras MaxPooling2D. */
import { poolKind, tfjsPoolConfig } from "./pooling.js";

export const maxpool = poolKind("maxpool", "pool", "max pooling (Keras MaxPooling2D)", "maxpool 2x2", "MaxPool", (tfl, o, ctx) => tfl.layers.maxPooling2d(tfjsPoolConfig(o, ctx)));
