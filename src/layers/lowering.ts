/** Helpers the layer kinds' ONNX hooks share (the hooks themselves live in each kind's file). */
import { activation } from "../onnx/activation.js";
import { UnsupportedLayerError, type Value } from "../onnx/values.js";
import { tfjsActivation, type InlineActivation } from "./common.js";
import type { OnnxStep } from "./kind.js";

/** The step's one input; a layer with several (only a container's add has them) is refused. */
export function onlyInput(s: OnnxStep): Value {
  if (s.inputs.length !== 1) throw new UnsupportedLayerError(s.name, `expected one input, got ${s.inputs.length}`);
  return s.inputs[0]!;
}

/** `node`'s output (the step's own output shape, in `layout`) through the layer's inline activation (language spelling). */
export function withActivation(s: OnnxStep, node: string, layout: Value["layout"], fn: InlineActivation): Value {
  return activation(s.g, { name: node, shape: s.layer.outputShape, layout }, tfjsActivation(fn), `${s.name}.act`, s.name);
}
