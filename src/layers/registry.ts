/**
 * Every layer kind of the language. Adding a kind = its file (src/layers/<kind>.ts exporting
 * `const <kind>`); `npm run grammar` lists it in kinds.ts, and the checker, compiler and docs pick
 * it up from this table.
 */
import { KINDS } from "./kinds.js";
import type { LayerKind } from "./kind.js";

export const LAYER_KINDS: readonly LayerKind[] = KINDS;

const BY_NAME = new Map(LAYER_KINDS.map((k) => [k.kind, k]));

export const layerKind = (name: string): LayerKind | undefined => BY_NAME.get(name);
export const layerKindNames = (): string[] => LAYER_KINDS.map((k) => k.kind);

/** Common spellings from Keras/PyTorch that map to a kind, for did-you-mean hints. */
export const LAYER_ALIASES: Readonly<Record<string, string>> = {
  conv2d: "conv",
  conv2: "conv",
  convolution: "conv",
  depthwiseconv2d: "depthwise",
  separableconv2d: "separable",
  batchnormalization: "batchnorm",
  batchnorm2d: "batchnorm",
  bn: "batchnorm",
  maxpooling2d: "maxpool",
  maxpool2d: "maxpool",
  averagepooling2d: "avgpool",
  avgpool2d: "avgpool",
  globalaveragepooling2d: "globalavgpool",
  gap: "globalavgpool",
  spatialdropout2d: "spatialdropout",
  linear: "dense",
  fc: "dense",
  relu: "activation",
  residualblock: "residual",
};
