/**
 * The test-time views of src/face/views.ts as ONNX nodes, so an exported model computes what
 * `ferc predict` computes: the model's windows of the preprocessed input (Slice; the centre one
 * for a model trained on `random-crop`, the corners and centre for `ten-crop`), each mirrored
 * (Gather along the width, reversed) under `flip`/`ten-crop`, stacked on the batch axis in
 * views.ts's order; the model then runs once on the stack, and the views' probabilities are
 * averaged (Reshape to [views, N, classes], ReduceMean over the views).
 */
import { cropOrigins, type Crop, type Tta } from "../face/views.js";
import type { OnnxGraph } from "../onnx/graph.js";

export interface Views {
  /** The stacked views, NHWC: [views * N, h, w, c]. */
  readonly name: string;
  /** How many views each image has. */
  readonly count: number;
  /** One view's [h, w, c]. */
  readonly shape: readonly [number, number, number];
}

/** The views of `x` ([N, h, w, c]); `x` itself when there is one view of the whole image. */
export function viewNodes(g: OnnxGraph, x: string, shape: readonly [number, number, number], crop: Crop, tta: Tta): Views {
  const [h, w, c] = shape;
  const windows = crop
    ? cropOrigins(h, w, crop, tta).map(([top, left], i) =>
        g.op("Slice", [x, g.int64Tensor(`view${i + 1}.starts`, [top, left]), g.int64Tensor(`view${i + 1}.ends`, [top + crop[0], left + crop[1]]), g.int64Tensor(`view${i + 1}.axes`, [1, 2])], `view${i + 1}.window`),
      )
    : [x];
  const size: [number, number, number] = crop ? [crop[0], crop[1], c] : [h, w, c];
  if (tta === "none" && windows.length === 1) return { name: windows[0]!, count: 1, shape: size };
  const reversed = Array.from({ length: size[1] }, (_, i) => size[1] - 1 - i);
  const views = tta === "none" ? windows : windows.flatMap((v, i) => [v, g.op("Gather", [v, g.int64Tensor(`view${i + 1}.mirror`, reversed)], `view${i + 1}.mirrored`, { axis: 2 })]);
  return { name: g.op("Concat", views, "views", { axis: 0 }), count: views.length, shape: size };
}

/** Average `probs` ([views * N, k]) over each image's views: [N, k]. */
export function averageViews(g: OnnxGraph, probs: string, count: number, k: number): string {
  if (count === 1) return probs;
  const perView = g.op("Reshape", [probs, g.int64Tensor("views.shape", [count, -1, k])], "views.probabilities");
  return g.op("ReduceMean", [perView], "views.mean", { axes: [0], keepdims: 0 });
}
