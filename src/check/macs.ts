/**
 * Multiply-adds per image of a checked model's forward pass. Each kind's rule sits beside its
 * parameter count in src/layers/<kind>.ts; this walks the layer tree and sums containers' parts
 * (a residual's branch and projection shortcut). Undefined when a shape is unknown (a layer that
 * did not check), so no partial total is passed off as the model's.
 */
import type { LayerIR } from "../ir.js";
import { layerKind } from "../layers/registry.js";

const known = (s: readonly number[]): boolean => s.length > 0;

export function layerMacs(l: LayerIR): number | undefined {
  const kind = layerKind(l.kind);
  if (!kind || !known(l.inputShape) || !known(l.outputShape)) return undefined;
  let total = kind.macs(l.inputShape, l.outputShape, l.options);
  for (const part of [...(l.children ?? []), ...(l.shortcut ?? [])]) {
    const m = layerMacs(part);
    if (m === undefined) return undefined;
    total += m;
  }
  return total;
}

export function modelMacs(layers: readonly LayerIR[]): number | undefined {
  let total = 0;
  for (const l of layers) {
    const m = layerMacs(l);
    if (m === undefined) return undefined;
    total += m;
  }
  return total;
}
