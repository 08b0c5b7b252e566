/**
 * SpecIR → tfjs LayersModel, with the functional API so residual adds work. Layer names are the
 * checker's names (`model.getLayer("block1.conv1")`); tfjs accepts dots in names. This directory
 * is the only place that touches tfjs-layers; the layer kinds receive the module as an argument.
 *
 * A backend must be registered by the caller (e.g. `import "@tensorflow/tfjs-backend-cpu"`):
 * building a model allocates its weights.
 */
import type { LayersModel, SymbolicTensor } from "@tensorflow/tfjs-layers";
import type { LayerIR, SpecIR } from "../ir.js";
import { postActivation } from "../check/flatten.js";
import { INPUT_LAYER_NAME } from "../check/names.js";
import { tfjsActivation } from "../layers/common.js";
import type { Tfl } from "../layers/kind.js";
import { layerKind } from "../layers/registry.js";
import { layerSeed } from "./seed.js";

export function compileModel(spec: SpecIR, tfl: Tfl): LayersModel {
  const input = tfl.input({ shape: [...spec.model.input], name: INPUT_LAYER_NAME });
  let x = input;
  for (const l of spec.model.layers) x = buildLayer(l, x, spec, tfl);
  return tfl.model({ inputs: input, outputs: x, name: spec.name });
}

function buildLayer(l: LayerIR, x: SymbolicTensor, spec: SpecIR, tfl: Tfl): SymbolicTensor {
  if (l.kind === "residual") return buildResidual(l, x, spec, tfl);
  const kind = layerKind(l.kind);
  if (!kind?.build) throw new Error(`layer kind ${l.kind} has no tfjs builder`);
  const layer = kind.build(tfl, l.options, { name: l.name, seed: layerSeed(spec.train.seed, l.name) });
  return layer.apply(x) as SymbolicTensor;
}

/** branch(x) + shortcut(x), then the optional post-add activation `<name>.act`. */
function buildResidual(l: LayerIR, x: SymbolicTensor, spec: SpecIR, tfl: Tfl): SymbolicTensor {
  let branch = x;
  for (const c of l.children ?? []) branch = buildLayer(c, branch, spec, tfl);
  let shortcut = x;
  for (const c of l.shortcut ?? []) shortcut = buildLayer(c, shortcut, spec, tfl);
  let y = tfl.layers.add({ name: l.name }).apply([branch, shortcut]) as SymbolicTensor;
  const act = postActivation(l);
  if (act) y = tfl.layers.activation({ name: `${l.name}.act`, activation: tfjsActivation(act) as never }).apply(y) as SymbolicTensor;
  return y;
}
