/**
 * Every layer of a model, nested ones included (a residual's branch and shortcut), in written
 * order. Pure IR traversal: the checker's name look-ups and the sweep paths both need it, and the
 * sweep paths sit below the checker.
 */
import type { LayerIR } from "../ir.js";
import { layerKind } from "./registry.js";

export function allLayers(layers: readonly LayerIR[]): LayerIR[] {
  return layers.flatMap((l) => [l, ...allLayers(l.children ?? []), ...allLayers(l.shortcut ?? [])]);
}

/**
 * The checked layer behind each concrete (tfjs-level) layer name: a plain layer stands for itself,
 * a container for the steps its `tail` names (a residual's add and post-add activation); its
 * parts are layers of their own. What the ONNX export and the inference fold look a tfjs layer up in.
 */
export function concreteOwners(layers: readonly LayerIR[], out = new Map<string, LayerIR>()): Map<string, LayerIR> {
  for (const l of layers) {
    const container = layerKind(l.kind)?.container;
    if (!container) {
      out.set(l.name, l);
      continue;
    }
    concreteOwners(l.children ?? [], out);
    concreteOwners(l.shortcut ?? [], out);
    for (const t of container.tail(l)) out.set(t.name, l);
  }
  return out;
}
