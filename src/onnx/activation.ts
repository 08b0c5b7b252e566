/**
 * Keras activations as ONNX nodes (opset 13), by their tfjs serialised names: what a layer with an
 * inline `activation` and the `activation` layer kind both lower to.
 */
import type { OnnxGraph } from "./graph.js";
import { UnsupportedLayerError, type Value } from "./values.js";

/** Apply a Keras activation (tfjs serialised name) elementwise; softmax on the channel axis. */
export function activation(g: OnnxGraph, v: Value, fn: string, base: string, layer: string): Value {
  const out = (name: string): Value => ({ ...v, name });
  const x = v.name;
  switch (fn) {
    case "linear":
      return v;
    case "relu":
      return out(g.op("Relu", [x], base));
    case "relu6":
      return out(g.op("Clip", [x, g.scalar(`${base}.min`, 0), g.scalar(`${base}.max`, 6)], base));
    case "elu":
      return out(g.op("Elu", [x], base, { alpha: { float: 1 } }));
    case "selu":
      // tfjs-core's constants (SELU_SCALEALPHA / SELU_SCALE): alpha = scaleAlpha / scale.
      return out(g.op("Selu", [x], base, { alpha: { float: 1.7580993408473768599402175208123 / 1.0507009873554804934193349852946 }, gamma: { float: 1.0507009873554804934193349852946 } }));
    case "gelu": {
      // tfjs-layers' gelu is the exact one: x * 0.5 * (1 + erf(x / sqrt 2)). Opset 13 has no Gelu.
      const erf = g.op("Erf", [g.op("Div", [x, g.scalar(`${base}.sqrt2`, Math.SQRT2)], `${base}.scaled`)], `${base}.erf`);
      const cdf = g.op("Mul", [g.op("Add", [erf, g.scalar(`${base}.one`, 1)], `${base}.plus1`), g.scalar(`${base}.half`, 0.5)], `${base}.cdf`);
      return out(g.op("Mul", [x, cdf], base));
    }
    case "swish":
      return out(g.op("Mul", [x, g.op("Sigmoid", [x], `${base}.sigmoid`)], base));
    case "mish":
      return out(g.op("Mul", [x, g.op("Tanh", [g.op("Softplus", [x], `${base}.softplus`)], `${base}.tanh`)], base));
    case "tanh":
      return out(g.op("Tanh", [x], base));
    case "sigmoid":
      return out(g.op("Sigmoid", [x], base));
    case "hardSigmoid":
      // Keras: clip(0.2 x + 0.5, 0, 1) = ONNX HardSigmoid's defaults, written out anyway.
      return out(g.op("HardSigmoid", [x], base, { alpha: { float: 0.2 }, beta: { float: 0.5 } }));
    case "softplus":
      return out(g.op("Softplus", [x], base));
    case "softsign":
      return out(g.op("Softsign", [x], base));
    case "softmax":
      // Keras normalises the last (channel) axis: axis 1 once a feature map is NCHW.
      return out(g.op("Softmax", [x], base, { axis: v.shape.length === 3 && v.layout === "nchw" ? 1 : -1 }));
    default:
      throw new UnsupportedLayerError(layer, `activation ${fn} has no ONNX translation`);
  }
}
