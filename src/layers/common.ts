/** Option specs several layer kinds share, so their spelling and defaults agree everywhere. */
import type { ActivationIdentifier } from "@tensorflow/tfjs-layers/dist/keras_format/activation_config.js";
import type { OptionSpec } from "../schema/signature.js";

/** Activations tfjs-layers accepts inline (`activation:` of conv/dense). Language spelling. */
export const INLINE_ACTIVATIONS = [
  "linear",
  "relu",
  "relu6",
  "elu",
  "selu",
  "gelu",
  "swish",
  "mish",
  "tanh",
  "sigmoid",
  "hard-sigmoid",
  "softmax",
  "softplus",
  "softsign",
] as const;

export type InlineActivation = (typeof INLINE_ACTIVATIONS)[number];

/** Language spelling → tfjs identifier, for every inline activation (an unmapped one does not compile). */
const TFJS_ACTIVATION: Readonly<Record<InlineActivation, ActivationIdentifier>> = {
  linear: "linear",
  relu: "relu",
  relu6: "relu6",
  elu: "elu",
  selu: "selu",
  gelu: "gelu",
  swish: "swish",
  mish: "mish",
  tanh: "tanh",
  sigmoid: "sigmoid",
  "hard-sigmoid": "hardSigmoid",
  softmax: "softmax",
  softplus: "softplus",
  softsign: "softsign",
};
export const tfjsActivation = (a: InlineActivation): ActivationIdentifier => TFJS_ACTIVATION[a];

export const activationOption: OptionSpec = {
  name: "activation",
  type: { t: "enum", values: INLINE_ACTIVATIONS },
  default: "linear",
  bare: true,
  doc: "activation applied to the output (leaky-relu: use a separate `activation leaky-relu` layer)",
};

export const paddingOption: OptionSpec = {
  name: "padding",
  type: { t: "enum", values: ["valid", "same"] },
  default: "valid",
  bare: true,
  doc: "valid: no padding (output shrinks by kernel - 1); same: output = ceil(input / stride)",
};

export const biasOption: OptionSpec = {
  name: "bias",
  type: { t: "bool" },
  default: true,
  doc: "add a learned bias (turn off before batchnorm)",
};

/** Output channels of a convolution (conv, separable). */
export const filtersOption: OptionSpec = { name: "filters", type: { t: "int", min: 1 }, required: true, positional: true, doc: "number of output channels" };

export const kernelOption: OptionSpec = {
  name: "kernel",
  type: { t: "size" },
  required: true,
  positional: true,
  doc: "kernel size, `3x3` or `3`",
};

export const strideOption = (defaultValue?: readonly number[]): OptionSpec => ({
  name: "stride",
  type: { t: "size" },
  ...(defaultValue ? { default: defaultValue } : {}),
  aliases: ["strides"],
  doc: defaultValue ? "step of the window, `2` or `2x1`" : "step of the window (default: the window size)",
});
