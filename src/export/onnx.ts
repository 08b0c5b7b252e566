/**
 * A trained LayersModel plus its run's preprocessing → one ONNX model (opset 13).
 *
 * The contract: input `pixels`, float32 [N, H, W, C] at the spec's input size, raw grey values
 * 0..255 (a face cut and resized by the rule of src/face/region.ts, as `ferc predict` does);
 * the spec's preprocessing steps run inside the graph in order, with the train statistics of
 * `standardize dataset` as constants; then the test-time views `ferc predict` averages (the
 * model's window for a `random-crop` model, mirrors for `tta flip`, ten windows for `ten-crop`);
 * output `probabilities`, float32 [N, classes] (the model's softmax, averaged over the views).
 * Class names, the preprocessing, the views and the face crop rule are in the metadata_props.
 */
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { PreprocessStats } from "../data/preprocess.js";
import { OnnxGraph } from "../onnx/graph.js";
import { layerOwners } from "../compile/tfjs.js";
import { convertLayer, UnsupportedLayerError, type Value } from "./onnxLayers.js";
import { averageViews, viewNodes } from "./onnxViews.js";
import type { Crop, Tta } from "../face/views.js";
import { FACE_RULE } from "../face/rule.js";

export const ONNX_INPUT = "pixels";
export const ONNX_OUTPUT = "probabilities";

export interface OnnxExportOptions {
  readonly classes: readonly string[];
  /** Graph name (the spec name). */
  readonly name: string;
  readonly producerVersion: string;
  /** Extra metadata_props (e.g. the run id). */
  readonly metadata?: Readonly<Record<string, string>>;
  /** The model's window of the input (`random-crop`) and the spec's test-time averaging. */
  readonly crop?: Crop;
  readonly tta?: Tta;
}

/** The preprocessing steps as graph nodes on an NHWC float tensor of raw values. */
function preprocessNodes(g: OnnxGraph, x: string, stats: PreprocessStats): string {
  const n = stats.height * stats.width * stats.channels;
  stats.steps.forEach((step, s) => {
    const tag = `preprocess${s + 1}`;
    if (step.op === "scale") {
      x = g.op("Div", [x, g.scalar(`${tag}.255`, 255)], `${tag}.scale`);
    } else if (step.mode === "per-image") {
      // Two-pass variance (mean of squared deviations): the same value as src/data's
      // sqrt(E[x^2] - mean^2) in exact arithmetic, without float32's cancellation.
      const axes = [1, 2, 3];
      const mean = g.op("ReduceMean", [x], `${tag}.mean`, { axes, keepdims: 1 });
      const centred = g.op("Sub", [x, mean], `${tag}.centred`);
      const variance = g.op("ReduceMean", [g.op("Mul", [centred, centred], `${tag}.sq`)], `${tag}.var`, { axes, keepdims: 1 });
      const std = g.op("Max", [g.op("Sqrt", [variance], `${tag}.sqrt`), g.scalar(`${tag}.floor`, 1 / Math.sqrt(n))], `${tag}.std`);
      x = g.op("Div", [centred, std], `${tag}.standardize`);
    } else {
      const fitted = stats.fitted[s];
      if (!fitted) throw new Error(`preprocess step ${s + 1} (standardize dataset) has no fitted statistics`);
      const c = stats.channels;
      x = g.op("Sub", [x, g.floatTensor(`${tag}.mean`, [c], fitted.mean)], `${tag}.centred`);
      x = g.op("Div", [x, g.floatTensor(`${tag}.std`, [c], fitted.std)], `${tag}.standardize`);
    }
  });
  return x;
}

interface InboundNode {
  readonly inboundLayers: readonly { readonly name: string }[];
}

/** One model's part of a graph: its preprocessing, its views, its layers, the views averaged: [N, k] probabilities. */
export function modelNodes(g: OnnxGraph, input: string, model: LayersModel, stats: PreprocessStats, k: number, crop: Crop, tta: Tta): string {
  const owners = layerOwners(model);
  if (!owners) throw new Error("ONNX export: the model was not compiled from a spec (src/compile/tfjs.ts compileModel)");
  const values = new Map<string, Value>();
  const inputLayers = model.inputLayers.map((l) => l.name);
  if (inputLayers.length !== 1 || model.outputs.length !== 1) throw new Error("ONNX export: the model must have one input and one output");
  const pre = preprocessNodes(g, input, stats);
  const views = viewNodes(g, pre, [stats.height, stats.width, stats.channels], crop, tta);
  values.set(inputLayers[0]!, { name: views.name, shape: views.shape, layout: "nhwc" });
  let last: Value | undefined;
  for (const layer of model.layers) {
    if (inputLayers.includes(layer.name)) continue;
    const nodes = layer.inboundNodes as unknown as InboundNode[];
    if (nodes.length !== 1) throw new UnsupportedLayerError(layer.name, `is used ${nodes.length} times (shared layers are not exported)`);
    const inputs = nodes[0]!.inboundLayers.map((src) => {
      const v = values.get(src.name);
      if (!v) throw new UnsupportedLayerError(layer.name, `input ${src.name} was not converted before it`);
      return v;
    });
    const owner = owners.get(layer.name);
    if (!owner) throw new UnsupportedLayerError(layer.name, "is not a layer of the spec the model was compiled from");
    last = convertLayer(g, owner, layer, inputs);
    values.set(layer.name, last);
  }
  const outName = model.outputLayers[0]!.name;
  const out = values.get(outName) ?? last;
  if (!out) throw new Error("ONNX export: the model has no layers");
  if (out.shape.length !== 1 || out.shape[0] !== k) throw new Error(`ONNX export: the model's output is ${out.shape.join("x")}, not ${k} class probabilities`);
  return averageViews(g, out.name, views.count, k);
}

/** The views one model averages, in words (the graph's doc string). */
export function viewsText(crop: Crop, tta: Tta): string {
  return `${crop ? `the model's ${crop[0]}x${crop[1]} window${tta === "ten-crop" ? "s (4 corners and centre)" : " (centre)"}` : "the whole input"}${tta === "none" ? "" : ", averaged with mirrors"}`;
}

/** Encode `model` (weights as they are now) with `stats`' preprocessing in front. */
export function exportOnnx(model: LayersModel, stats: PreprocessStats, opts: OnnxExportOptions): Uint8Array {
  const g = new OnnxGraph();
  const input = g.reserve(ONNX_INPUT);
  g.reserve(ONNX_OUTPUT);
  const tta = opts.tta ?? "none";
  const k = opts.classes.length;
  const probabilities = modelNodes(g, input, model, stats, k, opts.crop, tta);
  return g.encode(
    {
      name: opts.name,
      input: { name: ONNX_INPUT, dims: ["N", stats.height, stats.width, stats.channels] },
      output: { name: ONNX_OUTPUT, dims: ["N", k] },
      producerVersion: opts.producerVersion,
      docString: `ferc export of ${opts.name}: ${ONNX_INPUT} = raw 0..255 values [N,${stats.height},${stats.width},${stats.channels}] (NHWC; a face cut by the rule in metadata 'face'); ${ONNX_OUTPUT} = softmax over ${opts.classes.join(", ")}, on ${viewsText(opts.crop, tta)}`,
      metadata: {
        classes: JSON.stringify(opts.classes),
        preprocess: JSON.stringify(stats.steps),
        views: JSON.stringify({ window: opts.crop ?? null, tta }),
        face: FACE_RULE,
        ...opts.metadata,
      },
    },
    probabilities,
  );
}
