/**
 * Layer differences. Both models are flattened (containers' children follow their container)
 * and aligned in order, so pairs never cross and a pair always has the same kind. Among all
 * such alignments the best-scoring one wins: a same-name pair scores, so do identical options
 * and an identical output shape. Names weigh no more than content because most names are
 * positional (`dense2` becomes `dense3` when a dense layer is inserted before it): the layer
 * that still has the same options and shape is the same layer, renamed, and the inserted one
 * shows as added. An edited layer keeps its name and pairs by it.
 */
import type { LayerIR } from "../ir.js";
import { equal } from "./settings.js";
import type { DiffValue, LayerChange, OptionChange } from "./types.js";

interface Flat {
  readonly layer: LayerIR;
  readonly depth: number;
}

export function flattenLayers(layers: readonly LayerIR[], depth = 0, out: Flat[] = []): Flat[] {
  for (const layer of layers) {
    out.push({ layer, depth });
    if (layer.children) flattenLayers(layer.children, depth + 1, out);
    if (layer.shortcut) flattenLayers(layer.shortcut, depth + 1, out);
  }
  return out;
}

const SAME_KIND = 1;
const SAME_NAME = 2;
const SAME_OPTIONS = 2;
const SAME_SHAPE = 1;

function score(a: LayerIR, b: LayerIR): number {
  if (a.kind !== b.kind) return -1;
  return (
    SAME_KIND +
    (a.name === b.name ? SAME_NAME : 0) +
    (equal(asJson(a.options), asJson(b.options)) ? SAME_OPTIONS : 0) +
    (equal(a.outputShape as DiffValue, b.outputShape as DiffValue) ? SAME_SHAPE : 0)
  );
}

const asJson = (o: LayerIR["options"]): DiffValue => o as unknown as DiffValue;

/** Pairs [i, j] of an order-preserving, maximum-score alignment (Needleman–Wunsch, no gap cost). */
export function align(a: readonly LayerIR[], b: readonly LayerIR[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  const best: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const s = score(a[i]!, b[j]!);
      best[i]![j] = Math.max(best[i + 1]![j]!, best[i]![j + 1]!, s < 0 ? -Infinity : s + best[i + 1]![j + 1]!);
    }
  }
  const pairs: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const s = score(a[i]!, b[j]!);
    // Prefer the pair on ties, so equal layers match rather than show as removed + added.
    if (s >= 0 && best[i]![j] === s + best[i + 1]![j + 1]!) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (best[i]![j] === best[i + 1]![j]) i++;
    else j++;
  }
  return pairs;
}

export function diffLayers(oldLayers: readonly LayerIR[], newLayers: readonly LayerIR[]): LayerChange[] {
  const a = flattenLayers(oldLayers);
  const b = flattenLayers(newLayers);
  const pairs = align(
    a.map((x) => x.layer),
    b.map((x) => x.layer),
  );
  const out: LayerChange[] = [];
  let i = 0;
  let j = 0;
  const removed = (f: Flat): LayerChange => ({
    status: "removed",
    name: f.layer.name,
    kind: f.layer.kind,
    depth: f.depth,
    options: [],
    oldShape: f.layer.outputShape,
    oldParams: f.layer.params,
    newParams: 0,
  });
  const added = (f: Flat): LayerChange => ({
    status: "added",
    name: f.layer.name,
    kind: f.layer.kind,
    depth: f.depth,
    options: optionList(f.layer),
    newShape: f.layer.outputShape,
    oldParams: 0,
    newParams: f.layer.params,
  });
  for (const [pi, pj] of [...pairs, [a.length, b.length] as [number, number]]) {
    while (i < pi) out.push(removed(a[i++]!));
    while (j < pj) out.push(added(b[j++]!));
    if (pi < a.length && pj < b.length) {
      const change = compare(a[pi]!, b[pj]!);
      if (change) out.push(change);
      i = pi + 1;
      j = pj + 1;
    }
  }
  return out;
}

/** Every option of a new layer, so "added" says what was added. */
function optionList(l: LayerIR): OptionChange[] {
  return Object.keys(l.options)
    .sort()
    .map((k) => ({ option: k, new: l.options[k] as DiffValue }));
}

function compare(x: Flat, y: Flat): LayerChange | undefined {
  const a = x.layer;
  const b = y.layer;
  const options: OptionChange[] = [];
  for (const k of [...new Set([...Object.keys(a.options), ...Object.keys(b.options)])].sort()) {
    const ov = a.options[k] as DiffValue | undefined;
    const nv = b.options[k] as DiffValue | undefined;
    if (!equal(ov, nv)) options.push({ option: k, ...(ov === undefined ? {} : { old: ov }), ...(nv === undefined ? {} : { new: nv }) });
  }
  const renamed = a.name !== b.name;
  const shapeChanged = !equal(a.outputShape as DiffValue, b.outputShape as DiffValue);
  if (!renamed && options.length === 0 && !shapeChanged && a.params === b.params && a.trainableParams === b.trainableParams) {
    return undefined;
  }
  return {
    status: options.length > 0 || renamed ? "changed" : "affected",
    name: b.name,
    ...(renamed ? { oldName: a.name } : {}),
    kind: b.kind,
    depth: y.depth,
    options,
    oldShape: a.outputShape,
    newShape: b.outputShape,
    oldParams: a.params,
    newParams: b.params,
  };
}
