/**
 * conv2d + bias + relu as one op with its own gradient, for training. tfjs-core un-fuses
 * `fused.conv2d` whenever gradients are recorded, so a tfjs-layers Conv2D with relu costs Conv2D,
 * Add and Relu forward and Step, Multiply and Sum backward, each a full pass over the activation.
 * This op (kernel FercConv2DBiasRelu) runs FusedConv2D forward (native: bias and relu in the
 * convolution's store) and FercReluBiasGrad + the two convolution gradients backward. Used only
 * where both kernels exist for the active backend (wasm with ferc's); installFusedConv2D routes
 * tfjs-layers' Conv2D (channels-last, relu, bias, no dilation) through it.
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tflayers from "@tensorflow/tfjs-layers";
import { RELU_BIAS_GRAD } from "./wasm/reluBiasGrad.js";

/** Kernel name of the fused op; backends provide it (wasm: ferc's FusedConv2D with relu). */
export const CONV_BIAS_RELU = "FercConv2DBiasRelu";

export function fusedConvAvailable(): boolean {
  const b = tf.getBackend();
  return tf.getKernel(CONV_BIAS_RELU, b) !== undefined && tf.getKernel(RELU_BIAS_GRAD, b) !== undefined;
}

type ConvAttrs = { strides: [number, number]; pad: "valid" | "same" };

// A registered gradient (not tf.customGrad) because its per-input thunks are lazy: the tape skips
// dx for the network's first layer, whose input needs no gradient. dz, shared by dx and dw, is
// computed up front: each thunk runs in its own tidy, so a lazily cached dz would be disposed
// after the first; computed here it lives until the backward pass ends.
let gradientRegistered = false;
function registerGradientOnce(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: CONV_BIAS_RELU,
    inputsToSave: ["x", "filter"],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      const { strides, pad } = attrs as unknown as ConvAttrs;
      const common = { strides, pad, dataFormat: "NHWC", dimRoundingMode: undefined };
      const [dz, db] = tf.engine().runKernel(RELU_BIAS_GRAD, { dy: dy as tf.Tensor, y }) as [tf.Tensor4D, tf.Tensor1D];
      return {
        x: () => tf.engine().runKernel("Conv2DBackpropInput", { dy: dz, filter }, { ...common, inputShape: x.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
        filter: () => tf.engine().runKernel("Conv2DBackpropFilter", { x, dy: dz }, { ...common, filterShape: filter.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
        bias: () => tf.clone(db),
      };
    },
  });
}

/** relu(conv2d(x, w, strides, pad) + b), NHWC, differentiable w.r.t. x, w and b. */
export function conv2dBiasRelu(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D, strides: [number, number], pad: "valid" | "same"): tf.Tensor4D {
  registerGradientOnce();
  return tf.engine().runKernel(CONV_BIAS_RELU, { x, filter: w, bias: b }, { strides, pad } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

/** The Conv2D layer fields the fused path reads (protected in tfjs-layers' typings). */
interface ConvFields {
  rank: number;
  activation: { getClassName(): string } | null;
  bias: tflayers.LayerVariable | null;
  kernel: tflayers.LayerVariable;
  strides: number[];
  padding: string;
  dataFormat: string;
  dilationRate: number | number[];
}
type CallFn = (this: ConvFields, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

const patched = new WeakSet<object>();

/**
 * Route eligible Conv2D layers of `layers` (default: the imported tfjs-layers) through
 * conv2dBiasRelu (relu + bias) or plain conv2d (linear, no bias). Idempotent.
 */
export function installFusedConv2D(layers: typeof tflayers = tflayers): void {
  // FERC_FUSED=0 keeps tfjs-layers' own code, FERC_FUSED=bn|conv fuses only that (A/B timing, debugging).
  const only = process.env["FERC_FUSED"];
  if (only !== undefined && only !== "conv") return;
  const proto = Object.getPrototypeOf(layers.layers.conv2d({ filters: 1, kernelSize: 1 })) as { call: CallFn };
  if (patched.has(proto)) return;
  patched.add(proto);
  const original = proto.call;
  proto.call = function (this: ConvFields, inputs, kwargs) {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const dil = Array.isArray(this.dilationRate) ? this.dilationRate : [this.dilationRate];
    const plain =
      x !== undefined && x.rank === 4 && x.dtype === "float32" && this.rank === 2 &&
      this.dataFormat === "channelsLast" && (this.padding === "valid" || this.padding === "same") &&
      dil.every((d) => d === 1) && fusedConvAvailable();
    const act = this.activation?.getClassName() ?? "linear";
    const strides: [number, number] = [this.strides[0]!, this.strides[1] ?? this.strides[0]!];
    const pad = this.padding as "valid" | "same";
    if (plain && act === "relu" && this.bias !== null) {
      return tf.tidy(() =>
        conv2dBiasRelu(x as tf.Tensor4D, this.kernel.read() as tf.Tensor4D, this.bias!.read() as tf.Tensor1D, strides, pad),
      );
    }
    if (plain && act === "linear" && this.bias === null) {
      // `bias off` before batch norm: tfjs-layers would call fused.conv2d, whose custom gradient
      // always computes the input gradient, even for the first layer, whose input needs none
      // (51 ms of a vgg-plus step on a 1-channel input). conv2d's registered gradient is lazy.
      return tf.tidy(() => tf.conv2d(x as tf.Tensor4D, this.kernel.read() as tf.Tensor4D, strides, pad));
    }
    return original.call(this, inputs, kwargs);
  };
}
