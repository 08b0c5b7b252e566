/**
 * What conv, depthwise and separable share: their options (window, stride, padding, inline
 * activation, bias; filters and a depth multiplier where they have them), read typed; the shape
 * rule; the tfjs-layers settings common to all three; and the one ONNX Conv node each lowers to
 * (TensorFlow padding written out, NCHW). Each kind's file keeps only what makes it itself.
 */
import type { Shape } from "../ir.js";
import type { OnnxGraph } from "../onnx/graph.js";
import { permute, tfPads, toNCHW, weight, type Value } from "../onnx/values.js";
import { boolOption, numberOption, pairOption, wordOption, type OptionSpec, type Options, type Signature } from "../schema/signature.js";
import { activationOption, biasOption, filtersOption, INLINE_ACTIVATIONS, kernelOption, paddingOption, strideOption, tfjsActivation, type InlineActivation } from "./common.js";
import { needsRank3, spatial, type BuildContext, type OnnxStep, type ShapeOutcome } from "./kind.js";

const PADDINGS = ["valid", "same"] as const;

export interface ConvOptions {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: (typeof PADDINGS)[number];
  /** The inline activation, in the language's spelling (`hard-sigmoid`). */
  readonly activation: InlineActivation;
  readonly bias: boolean;
}

/** The shared options of a bound conv-family statement. */
export function convOptions(o: Options): ConvOptions {
  return {
    kernel: pairOption(o, "kernel"),
    stride: pairOption(o, "stride"),
    padding: wordOption(o, "padding", PADDINGS),
    activation: wordOption(o, "activation", INLINE_ACTIVATIONS),
    bias: boolOption(o, "bias"),
  };
}

export const filters = (o: Options): number => numberOption(o, "filters");
export const multiplier = (o: Options): number => numberOption(o, "multiplier");

/** The depth multiplier option; `doc` says what its channels are in this kind. */
export const multiplierOption = (doc: string): OptionSpec => ({ name: "multiplier", type: { t: "int", min: 1 }, default: 1, aliases: ["depth-multiplier"], doc });

/** kernel [filters] [multiplier] stride padding activation bias, in the order `usage` prints them. */
export function convSignature(has: { readonly filters: boolean; readonly multiplier?: OptionSpec }): Signature {
  return {
    options: [
      kernelOption,
      ...(has.filters ? [filtersOption] : []),
      ...(has.multiplier ? [has.multiplier] : []),
      strideOption([1, 1]),
      paddingOption,
      activationOption,
      biasOption,
    ],
  };
}

/** A conv-family window over an HxWxC input, giving `channels` output channels. */
export function convShape(kind: string, input: Shape, o: Options, channels: number): ShapeOutcome {
  const { kernel, stride, padding } = convOptions(o);
  return needsRank3(kind, input) ?? spatial(`${kind} ${kernel[0]}x${kernel[1]}`, input, kernel, stride, padding, channels);
}

/** The tfjs-layers settings all three share (the caller adds filters, multiplier, initialisers). */
export function tfjsConvConfig(o: Options, ctx: BuildContext) {
  const c = convOptions(o);
  return {
    name: ctx.name,
    kernelSize: mutablePair(c.kernel),
    strides: mutablePair(c.stride),
    padding: c.padding,
    activation: tfjsActivation(c.activation),
    useBias: c.bias,
    biasInitializer: "zeros" as const,
  };
}

/** tfjs-layers' argument types want a mutable tuple. */
const mutablePair = (p: readonly [number, number]): [number, number] => [p[0], p[1]];

/**
 * One ONNX Conv of `input` (any layout: moved to NCHW) with the ONNX weight `w` [cout, cin/group,
 * kh, kw] and an optional bias, in the kind's stride and TensorFlow padding; returns the node's
 * output name (NCHW). `makeWeights` runs after the input's transpose, so the graph lists them in
 * the order a reader follows.
 */
export function convNode(
  g: OnnxGraph,
  input: Value,
  name: string,
  c: Pick<ConvOptions, "stride" | "padding">,
  kernel: readonly [number, number],
  group: number,
  makeWeights: () => readonly string[],
): string {
  const x = toNCHW(g, input);
  return g.op("Conv", [x.name, ...makeWeights()], name, {
    kernel_shape: [...kernel],
    strides: [...c.stride],
    dilations: [1, 1],
    pads: tfPads(input.shape, kernel, c.stride, c.padding),
    group,
  });
}

/**
 * The depthwise step of depthwise and separable: Keras kernel [kh, kw, cin, m] → an ONNX Conv
 * with cin groups and weight [cin*m, 1, kh, kw] (output channel c*m + j); `bias` gives the bias
 * inputs for its cin*m channels.
 */
export function depthwiseNode(s: OnnxStep, input: Value, name: string, c: ConvOptions, bias: (channels: number) => readonly string[]): string {
  const k = weight(s.weights, s.name, "depthwise_kernel");
  const [kh, kw, cin, m] = k.shape as [number, number, number, number];
  return convNode(s.g, input, name, c, [kh, kw], cin, () => [
    s.g.floatTensor(`${s.name}.depthwise_kernel`, [cin * m, 1, kh, kw], permute(k.values, k.shape, [2, 3, 0, 1])),
    ...bias(cin * m),
  ]);
}
