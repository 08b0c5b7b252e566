/** Shared shape of max and average pooling: window, stride defaulting to the window, padding. */
import { needsRank3, NO_MACS, NO_PARAMS, spatial, type LayerKind } from "./kind.js";
import { paddingOption, strideOption } from "./common.js";
import type { Shape } from "../ir.js";
import { optPair, optStr, type Options, type Signature } from "../schema/signature.js";

export const poolSignature: Signature = {
  options: [
    { name: "size", type: { t: "size" }, default: [2, 2], positional: true, aliases: ["pool"], doc: "window, `2x2` or `2`" },
    strideOption(),
    paddingOption,
  ],
};

/** Keras: strides default to the pool size. */
export const poolStride = (o: Options): readonly [number, number] => (o["stride"] === undefined ? optPair(o, "size") : optPair(o, "stride"));

export function poolKind(kind: string, abbrev: string, summary: string, example: string, build: LayerKind["build"]): LayerKind {
  return {
    kind,
    abbrev,
    summary,
    example,
    signature: poolSignature,
    shape(input: Shape, o: Options) {
      const k = optPair(o, "size");
      return needsRank3(kind, input) ?? spatial(`${kind} ${k[0]}x${k[1]}`, input, k, poolStride(o), optStr(o, "padding"), input[2]!);
    },
    params: () => NO_PARAMS,
    macs: NO_MACS,
    ...(build ? { build } : {}),
  };
}
