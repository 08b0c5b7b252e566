/** Shared shape of max and average pooling: window, stride defaulting to the window, padding. */
import { needsRank3, NO_MACS, NO_PARAMS, spatial, type BuildContext, type LayerKind } from "./kind.js";
import { paddingOption, strideOption } from "./common.js";
import type { Shape } from "../ir.js";
import { pairOption, wordOption, type Options, type Signature } from "../schema/signature.js";
import { onlyInput } from "./lowering.js";
import { tfPads, toNCHW } from "../onnx/values.js";

const PADDINGS = ["valid", "same"] as const;

export const poolSignature: Signature = {
  options: [
    { name: "size", type: { t: "size" }, default: [2, 2], positional: true, aliases: ["pool"], doc: "window, `2x2` or `2`" },
    strideOption(),
    paddingOption,
  ],
};

/** Keras: strides default to the pool size. */
export const poolStride = (o: Options): readonly [number, number] => (o["stride"] === undefined ? pairOption(o, "size") : pairOption(o, "stride"));

/** The ONNX op a pooling kind lowers to; AveragePool counts only real pixels (count_include_pad 0), as TensorFlow does. */
export type PoolOp = "MaxPool" | "AveragePool";

/** The tfjs-layers settings of a pooling layer (window, stride, padding), typed. */
export function tfjsPoolConfig(o: Options, ctx: BuildContext) {
  const [sh, sw] = poolStride(o);
  const [kh, kw] = pairOption(o, "size");
  const poolSize: [number, number] = [kh, kw];
  const strides: [number, number] = [sh, sw];
  return { name: ctx.name, poolSize, strides, padding: wordOption(o, "padding", PADDINGS) };
}

export function poolKind(kind: string, abbrev: string, summary: string, example: string, op: PoolOp, build: LayerKind["build"]): LayerKind {
  return {
    kind,
    abbrev,
    summary,
    example,
    signature: poolSignature,
    shape(input: Shape, o: Options) {
      const k = pairOption(o, "size");
      return needsRank3(kind, input) ?? spatial(`${kind} ${k[0]}x${k[1]}`, input, k, poolStride(o), wordOption(o, "padding", PADDINGS), input[2]!);
    },
    params: () => NO_PARAMS,
    macs: NO_MACS,
    ...(build ? { build } : {}),
    onnx(s) {
      const input = onlyInput(s);
      const x = toNCHW(s.g, input);
      const size = pairOption(s.layer.options, "size");
      const stride = poolStride(s.layer.options);
      const attrs = { kernel_shape: [...size], strides: [...stride], pads: tfPads(input.shape, size, stride, wordOption(s.layer.options, "padding", PADDINGS)) };
      const y = s.g.op(op, [x.name], s.name, op === "AveragePool" ? { ...attrs, count_include_pad: 0 } : attrs);
      return { name: y, shape: s.layer.outputShape, layout: "nchw" };
    },
  };
}
