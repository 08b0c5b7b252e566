/**
 * Every layer of a model, nested ones included (a residual's branch and shortcut), in written
 * order. Pure IR traversal: the checker's name look-ups and the sweep paths both need it, and the
 * sweep paths sit below the checker.
 */
import type { LayerIR } from "../ir.js";

export function allLayers(layers: readonly LayerIR[]): LayerIR[] {
  return layers.flatMap((l) => [l, ...allLayers(l.children ?? []), ...allLayers(l.shortcut ?? [])]);
}
