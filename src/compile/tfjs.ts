/**
 * SpecIR → tfjs LayersModel, with the functional API so containers (residual adds) work. Layer names are the
 * checker's names (`model.getLayer("block1.conv1")`); tfjs accepts dots in names. This directory
 * is the only place that touches tfjs-layers; the layer kinds receive the module as an argument.
 *
 * A backend must be registered by the caller (e.g. `import "@tensorflow/tfjs-backend-cpu"`):
 * building a model allocates its weights.
 */
import type { LayersModel, SymbolicTensor } from "@tensorflow/tfjs-layers";
import type { LayerIR, SpecIR } from "../ir.js";
import { INPUT_LAYER_NAME } from "../check/names.js";
import type { Tfl } from "../layers/kind.js";
import { layerKind } from "../layers/registry.js";
import { concreteOwners } from "../layers/nested.js";
import { layerSeed } from "./seed.js";

/** The spec each model was compiled from, so later stages find each tfjs layer's checked layer and kind. */
const COMPILED = new WeakMap<LayersModel, SpecIR>();

export function compileModel(spec: SpecIR, tfl: Tfl): LayersModel {
  const input = tfl.input({ shape: [...spec.model.input], name: INPUT_LAYER_NAME });
  let x = input;
  for (const l of spec.model.layers) x = buildLayer(l, x, spec, tfl);
  const model = tfl.model({ inputs: input, outputs: x, name: spec.name });
  COMPILED.set(model, spec);
  return model;
}

/**
 * Records that `model` has the layers of `spec` though compileModel did not build it: a model
 * loaded from the topology a compiled model of `spec` saved (a checkpoint's model.json).
 */
export function adoptSpec(model: LayersModel, spec: SpecIR): LayersModel {
  COMPILED.set(model, spec);
  return model;
}

/**
 * The checked layer behind each of `model`'s tfjs layers, by name (see concreteOwners); undefined
 * for a model compileModel did not build.
 */
export function layerOwners(model: LayersModel): ReadonlyMap<string, LayerIR> | undefined {
  const spec = COMPILED.get(model);
  return spec && concreteOwners(spec.model.layers);
}

function buildLayer(l: LayerIR, x: SymbolicTensor, spec: SpecIR, tfl: Tfl): SymbolicTensor {
  const kind = layerKind(l.kind);
  if (kind?.container) return kind.container.build(tfl, l, x, (parts, y) => parts.reduce((t, p) => buildLayer(p, t, spec, tfl), y));
  if (!kind?.build) throw new Error(`layer kind ${l.kind} has no tfjs builder`);
  const layer = kind.build(tfl, l.options, { name: l.name, seed: layerSeed(spec.train.seed, l.name) });
  return layer.apply(x) as SymbolicTensor;
}
