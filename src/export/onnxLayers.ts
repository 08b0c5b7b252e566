/**
 * A compiled model's tfjs layers → ONNX nodes, each by the layer kind that declared it: the
 * model's checked layers (the spec compileModel built it from) name the kind behind every tfjs
 * layer, and the kind's `onnx` hook (in its own file under src/layers/) lowers it from the checked
 * options plus the trained weights read here. No tfjs class name or config is consulted.
 */
import type { Tensor } from "@tensorflow/tfjs-core";
import type { LayerIR } from "../ir.js";
import { layerKind } from "../layers/registry.js";
import type { OnnxGraph } from "../onnx/graph.js";
import { UnsupportedLayerError, type Value, type Weight, type Weights } from "../onnx/values.js";

export { UnsupportedLayerError, type Value } from "../onnx/values.js";

/** What the export reads of one tfjs layer: its name and trained weights. */
export interface TfjsLayer {
  readonly name: string;
  readonly weights: readonly { readonly name: string; readonly originalName?: string; readonly shape: readonly (number | null)[]; read(): Tensor }[];
}

/** The layer's weights by their short name (`kernel`, `bias`, `gamma`, ...). */
export function weightsOf(layer: TfjsLayer): Weights {
  const weights = new Map<string, Weight>();
  for (const w of layer.weights) {
    // tfjs suffixes `_N` to variable names it has seen in this process; the original is stable.
    const full = w.originalName ?? w.name;
    const short = full.slice(full.lastIndexOf("/") + 1);
    weights.set(short, { shape: w.shape.map((d) => d ?? 0), values: Float32Array.from(w.read().dataSync() as Float32Array) });
  }
  return weights;
}

/** Emit one tfjs layer's nodes, `owner` being the checked layer behind it; `inputs` are the values of its inbound layers. */
export function convertLayer(g: OnnxGraph, owner: LayerIR, layer: TfjsLayer, inputs: readonly Value[]): Value {
  const kind = layerKind(owner.kind);
  if (!kind?.onnx) throw new UnsupportedLayerError(layer.name, `layer kind ${owner.kind} has no ONNX export`);
  return kind.onnx({ g, layer: owner, name: layer.name, inputs, weights: weightsOf(layer) });
}
