/**
 * The model as the list of concrete (tfjs-level) layers, in build order, with the container rows
 * kept for display: this is both the `ferc check` table and what the compiled model must match
 * layer for layer (test/compile). A container contributes its parts (a residual's branch and
 * shortcut), then the layers its kind's `tail` names (the Add, named after the residual, and an
 * optional post-add activation `<name>.act`).
 */
import type { LayerIR, Shape } from "../ir.js";
import { layerKind } from "../layers/registry.js";
import { layerMacs } from "./macs.js";

export interface LayerRow {
  readonly name: string;
  readonly kind: string;
  readonly outputShape: Shape;
  readonly params: number;
  readonly trainableParams: number;
  /** Nesting depth for display (children of a residual are 1 deeper). */
  readonly depth?: number;
  /** Forward multiply-adds per image (a container's: its parts'); absent when a shape is unknown. */
  readonly macs?: number;
}

/** Rows for the table: containers first with their totals, then their parts indented. */
export function layerRows(layers: readonly LayerIR[], depth = 0): LayerRow[] {
  const rows: LayerRow[] = [];
  for (const l of layers) {
    rows.push(withMacs(row(l.name, l.kind, l.outputShape, l.params, l.trainableParams, depth), layerMacs(l)));
    const container = layerKind(l.kind)?.container;
    if (!container) continue;
    rows.push(...layerRows(l.children ?? [], depth + 1), ...layerRows(l.shortcut ?? [], depth + 1));
    // The step named after the container (a residual's add) is what the container's row stands for.
    for (const t of container.tail(l)) if (t.name !== l.name) rows.push(withMacs(row(t.name, t.kind, l.outputShape, 0, 0, depth + 1), 0));
  }
  return rows;
}

const withMacs = (r: LayerRow, macs: number | undefined): LayerRow => (macs === undefined ? r : { ...r, macs });

/** Concrete layers in build order (no container rows; a container's own step takes its name). */
export function concreteLayers(layers: readonly LayerIR[]): LayerRow[] {
  const out: LayerRow[] = [];
  for (const l of layers) {
    const container = layerKind(l.kind)?.container;
    if (!container) {
      out.push(row(l.name, l.kind, l.outputShape, l.params, l.trainableParams, 0));
      continue;
    }
    out.push(...concreteLayers(l.children ?? []), ...concreteLayers(l.shortcut ?? []));
    for (const t of container.tail(l)) out.push(row(t.name, t.kind, l.outputShape, 0, 0, 0));
  }
  return out;
}

function row(name: string, kind: string, outputShape: Shape, params: number, trainableParams: number, depth: number): LayerRow {
  return depth > 0 ? { name, kind, outputShape, params, trainableParams, depth } : { name, kind, outputShape, params, trainableParams };
}
