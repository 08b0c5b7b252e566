/**
 * tfjs-layers layers → ONNX nodes. Keras tensors are NHWC; ONNX convolutions and pools are NCHW,
 * so every feature map carries its current layout and is transposed only where an op needs the
 * other one (spatial ops want NCHW; Flatten wants NHWC, because Keras flattens in H, W, C order).
 *
 * Padding is written out explicitly with TensorFlow's `same` rule (the extra pixel goes at the
 * bottom/right), so nothing depends on an `auto_pad` interpretation.
 */
import type { Tensor } from "@tensorflow/tfjs-core";
import type { OnnxGraph } from "./onnxGraph.js";
import { FercError } from "../errors.js";

/** A value in the graph: its ONNX name, its Keras shape without the batch axis, its layout. */
export interface Value {
  readonly name: string;
  /** Keras (channels-last) shape without the batch axis: [H, W, C] or [units]. */
  readonly shape: readonly number[];
  /** Where the channels of a feature map currently sit; vectors are always "nhwc". */
  readonly layout: "nhwc" | "nchw";
}

/** What a converter sees of one tfjs layer. */
export interface LayerView {
  readonly className: string;
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** Weights by their short name (`kernel`, `bias`, `gamma`, ...). */
  readonly weights: ReadonlyMap<string, { readonly shape: readonly number[]; readonly values: Float32Array }>;
  /** Keras output shape without the batch axis. */
  readonly outputShape: readonly number[];
}

/** A layer this exporter cannot translate: names the layer and its class. */
export class UnsupportedLayerError extends FercError {
  readonly kind = "spec";
  constructor(layer: string, what: string) {
    super(`ONNX export: layer ${layer}: ${what}`);
  }
}

export function viewOf(layer: {
  getClassName(): string;
  name: string;
  getConfig(): object;
  weights: readonly { name: string; originalName?: string; shape: readonly (number | null)[]; read(): Tensor }[];
  outputShape: unknown;
}): LayerView {
  const weights = new Map<string, { shape: readonly number[]; values: Float32Array }>();
  for (const w of layer.weights) {
    // tfjs suffixes `_N` to variable names it has seen in this process; the original is stable.
    const full = w.originalName ?? w.name;
    const short = full.slice(full.lastIndexOf("/") + 1);
    weights.set(short, { shape: w.shape.map((d) => d ?? 0), values: Float32Array.from(w.read().dataSync() as Float32Array) });
  }
  const out = layer.outputShape as (number | null)[];
  return {
    className: layer.getClassName(),
    name: layer.name,
    config: layer.getConfig() as Record<string, unknown>,
    weights,
    outputShape: out.slice(1).map((d) => d ?? 0),
  };
}

// ------------------------------------------------------------------ layout and array helpers

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

const pair = (v: unknown, layer: string, what: string): [number, number] => {
  const a = Array.isArray(v) ? v : [v, v];
  if (a.length !== 2 || !a.every((x) => typeof x === "number")) throw new UnsupportedLayerError(layer, `unreadable ${what} ${JSON.stringify(v)}`);
  return [a[0] as number, a[1] as number];
};

/** ONNX pads [top, left, bottom, right] for TensorFlow `valid`/`same` on an H x W input. */
export function tfPads(input: readonly number[], kernel: readonly [number, number], stride: readonly [number, number], padding: string): number[] {
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

function weight(l: LayerView, short: string): { shape: readonly number[]; values: Float32Array } {
  const w = l.weights.get(short);
  if (!w) throw new UnsupportedLayerError(l.name, `has no ${short} weight`);
  return w;
}

// ------------------------------------------------------------------ activations

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

function inlineActivation(g: OnnxGraph, v: Value, l: LayerView): Value {
  const fn = typeof l.config["activation"] === "string" ? (l.config["activation"] as string) : "linear";
  return activation(g, v, fn, `${l.name}.act`, l.name);
}

// ------------------------------------------------------------------ layers

function conv2d(g: OnnxGraph, input: Value, l: LayerView, shapeOut: readonly number[]): Value {
  const x = toNCHW(g, input);
  const kernel = weight(l, "kernel"); // [kh, kw, cin, cout]
  const [kh, kw, cin, cout] = kernel.shape as [number, number, number, number];
  const w = g.floatTensor(`${l.name}.kernel`, [cout, cin, kh, kw], permute(kernel.values, kernel.shape, [3, 2, 0, 1]));
  const stride = pair(l.config["strides"], l.name, "strides");
  const dil = pair(l.config["dilationRate"] ?? 1, l.name, "dilationRate");
  const inputs = [x.name, w];
  if (l.weights.has("bias")) inputs.push(g.floatTensor(`${l.name}.bias`, [cout], weight(l, "bias").values));
  const y = g.op("Conv", inputs, l.name, {
    kernel_shape: [kh, kw],
    strides: stride,
    dilations: dil,
    pads: tfPads(input.shape, [(kh - 1) * dil[0] + 1, (kw - 1) * dil[1] + 1], stride, String(l.config["padding"])),
    group: 1,
  });
  return inlineActivation(g, { name: y, shape: shapeOut, layout: "nchw" }, l);
}

/** Keras depthwise kernel [kh, kw, cin, m] → ONNX grouped conv weight [cin*m, 1, kh, kw] (channel c*m + j). */
function depthwiseWeight(g: OnnxGraph, base: string, k: { shape: readonly number[]; values: Float32Array }): { name: string; cin: number; m: number; kh: number; kw: number } {
  const [kh, kw, cin, m] = k.shape as [number, number, number, number];
  const name = g.floatTensor(base, [cin * m, 1, kh, kw], permute(k.values, k.shape, [2, 3, 0, 1]));
  return { name, cin, m, kh, kw };
}

function depthwise(g: OnnxGraph, input: Value, l: LayerView, shapeOut: readonly number[], pointwise: boolean): Value {
  const x = toNCHW(g, input);
  const dw = depthwiseWeight(g, `${l.name}.depthwise_kernel`, weight(l, "depthwise_kernel"));
  const stride = pair(l.config["strides"], l.name, "strides");
  const dil = pair(l.config["dilationRate"] ?? 1, l.name, "dilationRate");
  const inputs = [x.name, dw.name];
  const bias = l.weights.get("bias");
  if (!pointwise && bias) inputs.push(g.floatTensor(`${l.name}.bias`, [dw.cin * dw.m], bias.values));
  let y = g.op("Conv", inputs, pointwise ? `${l.name}.depthwise` : l.name, {
    kernel_shape: [dw.kh, dw.kw],
    strides: stride,
    dilations: dil,
    pads: tfPads(input.shape, [(dw.kh - 1) * dil[0] + 1, (dw.kw - 1) * dil[1] + 1], stride, String(l.config["padding"])),
    group: dw.cin,
  });
  if (pointwise) {
    const pk = weight(l, "pointwise_kernel"); // [1, 1, cin*m, cout]
    const cout = pk.shape[3]!;
    const pw = g.floatTensor(`${l.name}.pointwise_kernel`, [cout, pk.shape[2]!, 1, 1], permute(pk.values, pk.shape, [3, 2, 0, 1]));
    const pin = [y, pw];
    if (bias) pin.push(g.floatTensor(`${l.name}.bias`, [cout], bias.values));
    y = g.op("Conv", pin, l.name, { kernel_shape: [1, 1], strides: [1, 1], pads: [0, 0, 0, 0], group: 1 });
  }
  return inlineActivation(g, { name: y, shape: shapeOut, layout: "nchw" }, l);
}

function dense(g: OnnxGraph, input: Value, l: LayerView, shapeOut: readonly number[]): Value {
  if (input.shape.length !== 1) throw new UnsupportedLayerError(l.name, `dense on a ${input.shape.length}-D input is not exported (flatten first)`);
  const k = weight(l, "kernel"); // [in, units]: MatMul's layout already
  let y = g.op("MatMul", [input.name, g.floatTensor(`${l.name}.kernel`, k.shape, k.values)], l.weights.has("bias") ? `${l.name}.matmul` : l.name);
  const b = l.weights.get("bias");
  if (b) y = g.op("Add", [y, g.floatTensor(`${l.name}.bias`, b.shape, b.values)], l.name);
  return inlineActivation(g, { name: y, shape: shapeOut, layout: "nhwc" }, l);
}

function batchNorm(g: OnnxGraph, input: Value, l: LayerView): Value {
  const axis = l.config["axis"];
  const isLast = axis === -1 || axis === input.shape.length || (Array.isArray(axis) && axis.length === 1 && (axis[0] === -1 || axis[0] === input.shape.length));
  if (!isLast) throw new UnsupportedLayerError(l.name, `batchnorm over axis ${JSON.stringify(axis)} is not exported`);
  const x = toNCHW(g, input);
  const c = input.shape[input.shape.length - 1]!;
  const ones = new Float32Array(c).fill(1), zeros = new Float32Array(c);
  const scale = l.weights.get("gamma")?.values ?? ones;
  const shift = l.weights.get("beta")?.values ?? zeros;
  const y = g.op(
    "BatchNormalization",
    [
      x.name,
      g.floatTensor(`${l.name}.gamma`, [c], scale),
      g.floatTensor(`${l.name}.beta`, [c], shift),
      g.floatTensor(`${l.name}.moving_mean`, [c], weight(l, "moving_mean").values),
      g.floatTensor(`${l.name}.moving_variance`, [c], weight(l, "moving_variance").values),
    ],
    l.name,
    { epsilon: { float: Number(l.config["epsilon"] ?? 1e-3) } },
  );
  return { name: y, shape: input.shape, layout: x.layout };
}

function pool(g: OnnxGraph, input: Value, l: LayerView, shapeOut: readonly number[], op: "MaxPool" | "AveragePool"): Value {
  const x = toNCHW(g, input);
  const size = pair(l.config["poolSize"], l.name, "poolSize");
  const stride = pair(l.config["strides"] ?? l.config["poolSize"], l.name, "strides");
  // AveragePool counts only real pixels under the window (count_include_pad 0), as TensorFlow does.
  const attrs = { kernel_shape: size, strides: stride, pads: tfPads(input.shape, size, stride, String(l.config["padding"])) };
  const y = g.op(op, [x.name], l.name, op === "AveragePool" ? { ...attrs, count_include_pad: 0 } : attrs);
  return { name: y, shape: shapeOut, layout: "nchw" };
}

function flatten(g: OnnxGraph, input: Value, l: LayerView, shapeOut: readonly number[]): Value {
  const x = toNHWC(g, input);
  return { name: g.op("Flatten", [x.name], l.name, { axis: 1 }), shape: shapeOut, layout: "nhwc" };
}

function globalAvgPool(g: OnnxGraph, input: Value, l: LayerView, shapeOut: readonly number[]): Value {
  const x = toNCHW(g, input);
  const pooled = g.op("GlobalAveragePool", [x.name], `${l.name}.pool`);
  return { name: g.op("Flatten", [pooled], l.name, { axis: 1 }), shape: shapeOut, layout: "nhwc" };
}

function add(g: OnnxGraph, inputs: readonly Value[], l: LayerView): Value {
  // Bring every operand to one layout (NCHW for feature maps), then sum pairwise.
  const xs = inputs.map((v) => toNCHW(g, v));
  let acc = xs[0]!.name;
  for (let i = 1; i < xs.length; i++) acc = g.op("Add", [acc, xs[i]!.name], i === xs.length - 1 ? l.name : `${l.name}.partial${i}`);
  return { name: acc, shape: inputs[0]!.shape, layout: xs[0]!.layout };
}

/** Emit one layer's nodes; `inputs` are the values of its inbound layers. */
export function convertLayer(g: OnnxGraph, l: LayerView, inputs: readonly Value[]): Value {
  const one = (): Value => {
    if (inputs.length !== 1) throw new UnsupportedLayerError(l.name, `expected one input, got ${inputs.length}`);
    return inputs[0]!;
  };
  switch (l.className) {
    case "Conv2D":
      return conv2d(g, one(), l, l.outputShape);
    case "DepthwiseConv2D":
      return depthwise(g, one(), l, l.outputShape, false);
    case "SeparableConv2D":
      return depthwise(g, one(), l, l.outputShape, true);
    case "Dense":
      return dense(g, one(), l, l.outputShape);
    case "BatchNormalization":
      return batchNorm(g, one(), l);
    case "MaxPooling2D":
      return pool(g, one(), l, l.outputShape, "MaxPool");
    case "AveragePooling2D":
      return pool(g, one(), l, l.outputShape, "AveragePool");
    case "GlobalAveragePooling2D":
      return globalAvgPool(g, one(), l, l.outputShape);
    case "Flatten":
      return flatten(g, one(), l, l.outputShape);
    // Dropout (and spatial dropout, a Dropout with a noise shape) is the identity at inference.
    case "Dropout":
    case "SpatialDropout2D":
      return one();
    case "Activation":
      return activation(g, one(), String(l.config["activation"]), l.name, l.name);
    case "LeakyReLU":
      return { ...one(), name: g.op("LeakyRelu", [one().name], l.name, { alpha: { float: Number(l.config["alpha"] ?? 0.3) } }) };
    case "Add":
      return add(g, inputs, l);
    default:
      throw new UnsupportedLayerError(l.name, `layer class ${l.className} has no ONNX translation`);
  }
}
