/**
 * What the layer kinds' ONNX lowerings share: a value in the graph with its layout, the moves
 * between layouts, weight permutations and TensorFlow's padding rule. Keras tensors are NHWC;
 * ONNX convolutions and pools are NCHW, so every feature map carries its current layout and is
 * transposed only where an op needs the other one (spatial ops want NCHW; Flatten wants NHWC,
 * because Keras flattens in H, W, C order).
 *
 * Padding is written out explicitly with TensorFlow's `same` rule (the extra pixel goes at the
 * bottom/right), so nothing depends on an `auto_pad` interpretation.
 */
import type { OnnxGraph } from "./graph.js";
import { FercError } from "../errors.js";

/** A value in the graph: its ONNX name, its Keras shape without the batch axis, its layout. */
export interface Value {
  readonly name: string;
  /** Keras (channels-last) shape without the batch axis: [H, W, C] or [units]. */
  readonly shape: readonly number[];
  /** Where the channels of a feature map currently sit; vectors are always "nhwc". */
  readonly layout: "nhwc" | "nchw";
}

/** One trained weight, row-major in its Keras shape. */
export interface Weight {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** A layer's weights by their short name (`kernel`, `bias`, `gamma`, ...). */
export type Weights = ReadonlyMap<string, Weight>;

/** A layer this exporter cannot translate: names the layer and what is missing. */
export class UnsupportedLayerError extends FercError {
  readonly kind = "spec";
  constructor(layer: string, what: string) {
    super(`ONNX export: layer ${layer}: ${what}`);
  }
}

/** The weight `short` of layer `layer`, or an UnsupportedLayerError naming both. */
export function weight(weights: Weights, layer: string, short: string): Weight {
  const w = weights.get(short);
  if (!w) throw new UnsupportedLayerError(layer, `has no ${short} weight`);
  return w;
}

export function toNCHW(g: OnnxGraph, v: Value): Value {
  if (v.shape.length !== 3 || v.layout === "nchw") return v;
  return { ...v, name: g.op("Transpose", [v.name], `${v.name}.nchw`, { perm: [0, 3, 1, 2] }), layout: "nchw" };
}

export function toNHWC(g: OnnxGraph, v: Value): Value {
  if (v.shape.length !== 3 || v.layout === "nhwc") return v;
  return { ...v, name: g.op("Transpose", [v.name], `${v.name}.nhwc`, { perm: [0, 2, 3, 1] }), layout: "nhwc" };
}

/** Permute a dense row-major array: out axis i is input axis perm[i]. */
export function permute(values: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = strides(shape);
  const out = new Float32Array(values.length);
  const idx = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let i = 0; i < perm.length; i++) src += idx[i]! * inStrides[perm[i]!]!;
    out[o] = values[src]!;
    for (let i = idx.length - 1; i >= 0; i--) {
      if (++idx[i]! < outShape[i]!) break;
      idx[i] = 0;
    }
  }
  return out;
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** ONNX pads [top, left, bottom, right] for TensorFlow `valid`/`same` on an H x W input. */
export function tfPads(input: readonly number[], kernel: readonly [number, number], stride: readonly [number, number], padding: "valid" | "same"): number[] {
  if (padding !== "same") return [0, 0, 0, 0];
  const before: number[] = [], after: number[] = [];
  for (let a = 0; a < 2; a++) {
    const n = input[a]!, k = kernel[a]!, s = stride[a]!;
    const out = Math.ceil(n / s);
    const total = Math.max((out - 1) * s + k - n, 0);
    before.push(Math.floor(total / 2));
    after.push(total - Math.floor(total / 2));
  }
  return [before[0]!, before[1]!, after[0]!, after[1]!];
}
