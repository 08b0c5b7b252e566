/**
 * What a layer kind declares, all in its own file: syntax (signature), docs, shape rule,
 * Keras-exact parameter count, the tfjs-layers builder, its ONNX lowering, whether it folds into
 * the layer before it for inference, and its fused training variant. The checker, the compiler,
 * the inference fold and the ONNX export only ever go through this interface, so adding a kind is
 * its file (kinds.ts is generated from the folder).
 *
 * tfjs is a type-only import here: `build` receives the tfjs-layers module from src/compile/, and
 * a fused variant is imported only when installed, so `ferc check` never loads tfjs.
 */
import type * as TflModule from "@tensorflow/tfjs-layers";
import type { SymbolicTensor } from "@tensorflow/tfjs-layers";
import type { Span } from "../diagnostics.js";
import type { LayerIR, Shape } from "../ir.js";
import type { Options, Signature } from "../schema/signature.js";
import type { OnnxGraph } from "../onnx/graph.js";
import type { Value, Weights } from "../onnx/values.js";

export type Tfl = typeof TflModule;
/** Any tfjs layer (the base class is not re-exported from the package index). */
export type TflLayer = import("@tensorflow/tfjs-layers/dist/engine/topology.js").Layer;

/** Either the output shape, or why the input does not fit (F0301/F0302 message body). */
export type ShapeOutcome =
  | { readonly ok: true; readonly shape: Shape }
  | { readonly ok: false; readonly code: "F0301" | "F0302"; readonly message: string };

export interface ParamCount {
  readonly trainable: number;
  readonly nonTrainable: number;
}

export interface BuildContext {
  /** The layer's checked name, used as the tfjs layer name. */
  readonly name: string;
  /** Seed for this layer's initialisers, derived from the spec seed and the layer name. */
  readonly seed: number;
}

export interface LayerKind {
  /** The word in the language: `conv`. */
  readonly kind: string;
  /** Name stem for auto names: `conv` → `conv1`, `batchnorm` → `bn1`. */
  readonly abbrev: string;
  readonly summary: string;
  readonly example: string;
  readonly signature: Signature;
  /** Present when the statement carries a block of sub-layers (`residual { }`): what it adds to them. */
  readonly container?: ContainerHooks;
  shape(input: Shape, o: Options): ShapeOutcome;
  params(input: Shape, o: Options): ParamCount;
  /**
   * Multiply-adds of one image's forward pass, beside the parameter count: a weight used once per
   * output element is one multiply-add; batchnorm (inference form) is one per element; pooling,
   * activations, adds and reshapes count none. Containers count only their own step: layerMacs
   * (src/check/macs.ts) adds their children.
   */
  macs(input: Shape, output: Shape, o: Options): number;
  /** One tfjs layer for the statement; containers build through `container.build` instead. */
  build?(tfl: Tfl, o: Options, ctx: BuildContext): TflLayer;
  /**
   * Its inference-time ONNX nodes (src/onnx/), from the checked layer and its trained weights;
   * a container answers for the steps its `tail` names. A kind without it cannot be exported
   * (the export names the kind; test/export/kinds.test.ts exports every registered kind).
   */
  onnx?(step: OnnxStep): Value;
  /**
   * Its fused training variant, where ferc has one (src/backend/fused*.ts): loads it and routes
   * `tfl`'s layer class through it, on a backend with the fused kernels (src/compile/prepare.ts).
   * Loaded lazily: the fused layers load tfjs-layers, which `ferc check` never needs.
   */
  readonly fusedTraining?: (tfl: Tfl) => Promise<void>;
  /** Present when the layer folds into the layer before it in the inference view (src/compile/fold.ts). */
  readonly fold?: InferenceFold;
  /**
   * The activation the layer's output ends in, for the loss check (softmax before
   * cross-entropy); default: its `activation` option.
   */
  readonly outputActivation?: {
    /** The option that sets it, so a mistake in that option is reported as itself. */
    readonly option: string;
    of(o: Options): string | undefined;
  };
}

/** One concrete (tfjs-level) layer as the ONNX export hands it to its kind. */
export interface OnnxStep {
  readonly g: OnnxGraph;
  /** The checked layer; for a container's tail step, the container. */
  readonly layer: LayerIR;
  /** The concrete layer's name: the layer's own, or a container's tail step (`res1.act`). */
  readonly name: string;
  /** The values of its inbound layers, in the tfjs graph's order. */
  readonly inputs: readonly Value[];
  /** Its trained weights by short name (`kernel`, `bias`, `gamma`, ...). */
  readonly weights: Weights;
}

/**
 * How a layer folds into the one before it for inference: the layer whose output is this one's
 * only input and whose only consumer this is. The fold rebuilds `before` with its own kind's
 * builder (bias on, the folded activation) and computes its weights from both layers'.
 */
export interface InferenceFold {
  /**
   * `affine`: an inference-time per-channel affine map (batchnorm): the weights of `before` are
   * scaled and its bias shifted. `activation`: it becomes the activation of `before` (which has
   * already taken in an affine layer).
   */
  readonly effect: "affine" | "activation";
  /** Whether it folds into `before` (by then the layer the chain folds into). */
  into(self: LayerIR, before: LayerIR): boolean;
}

/**
 * What a container kind owns beyond a plain kind. The checker expands the body like any block
 * (repeat, names under `<name>.`, shapes) and hands the result here; everything the container
 * itself means (how the body's output meets its input, extra layers, names, the tfjs sub-graph)
 * lives in the kind's file, so no stage outside src/layers knows any container by name.
 */
export interface ContainerHooks {
  /** The error (F0114) for an empty body, which is no container at all (a residual would compute x + x). */
  readonly emptyBody: { readonly message: string; readonly hint: string };
  /** The container's output shape and the layers it adds beside its body, given the checked body. */
  check(c: ContainerCheck): ContainerChecked;
  /**
   * The concrete (tfjs-level) layers that follow the container's parts in build order: its own
   * step (named after the container) first, then any others, e.g. `res1` (add), `res1.act`.
   */
  tail(l: LayerIR): readonly ConcreteLayer[];
  /** The tfjs sub-graph from `x`; `parts` builds a list of checked layers (the body, a shortcut). */
  build(tfl: Tfl, l: LayerIR, x: SymbolicTensor, parts: (layers: readonly LayerIR[], x: SymbolicTensor) => SymbolicTensor): SymbolicTensor;
}

export interface ContainerCheck {
  readonly name: string;
  /** The bound options (defaults filled in); see `complete` and `unsure` for what a mistake left out. */
  readonly options: Options;
  /** Every option was bound. */
  readonly complete: boolean;
  /** Options a mistake left unknown (meaningful when not `opaque`). */
  readonly unsure: readonly string[];
  /** The mistake cannot be pinned on an option. */
  readonly opaque: boolean;
  /** The container's input, and its body's output; `[]` when unknown. */
  readonly input: Shape;
  readonly body: Shape;
  /** The container statement's head, where its own findings are reported. */
  readonly span: Span;
  /** Claims a layer name the container adds (reports a clash like any layer name). */
  claim(name: string): void;
  /** Reports a shape mistake of the container (F0304), at its head. */
  report(message: string, hint?: string): void;
}

export interface ContainerChecked {
  /** The container's output; `[]` when it cannot be known. */
  readonly output: Shape;
  /** Layers beside the body (a residual's projection), checked and counted like any layer. */
  readonly shortcut: readonly LayerIR[];
}

/** A tfjs-level layer a container adds after its parts, for the table and the compiled model's order. */
export interface ConcreteLayer {
  readonly name: string;
  readonly kind: string;
}

/** The activation a layer's output ends in (see LayerKind.outputActivation). */
export function outputActivation(kind: LayerKind | undefined, o: Options): { option: string; value: string | undefined } {
  if (kind?.outputActivation) return { option: kind.outputActivation.option, value: kind.outputActivation.of(o) };
  const a = o["activation"];
  return { option: "activation", value: typeof a === "string" ? a : undefined };
}

export const ok = (shape: Shape): ShapeOutcome => ({ ok: true, shape });
export const fail = (code: "F0301" | "F0302", message: string): ShapeOutcome => ({ ok: false, code, message });
export const NO_PARAMS: ParamCount = { trainable: 0, nonTrainable: 0 };
/** For layers that multiply nothing (pooling, activation, dropout, reshape). */
export const NO_MACS = (): number => 0;
/** Elements of a shape (H*W*C, or units). */
export const elements = (s: Shape): number => s.reduce((a, b) => a * b, 1);

export const formatShape = (s: Shape): string => (s.length === 0 ? "?" : s.join("x"));

/** Layers working on feature maps need [H, W, C]. */
export function needsRank3(kind: string, input: Shape): ShapeOutcome | undefined {
  if (input.length === 3) return undefined;
  return fail("F0302", `${kind} needs a HxWxC feature map, got ${formatShape(input)}${input.length === 1 ? " (after flatten or dense)" : ""}`);
}

/**
 * Output size of a sliding window along one axis, Keras rules:
 * valid: floor((n - k) / s) + 1, same: ceil(n / s).
 */
export function windowOut(n: number, k: number, s: number, padding: string): number {
  return padding === "same" ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;
}

/** Shared spatial rule for convs and pools: checks the window fits, names the incoming shape. */
export function spatial(
  label: string,
  input: Shape,
  kernel: readonly [number, number],
  stride: readonly [number, number],
  padding: string,
  channels: number,
): ShapeOutcome {
  const [h, w] = [input[0]!, input[1]!];
  const oh = windowOut(h, kernel[0], stride[0], padding);
  const ow = windowOut(w, kernel[1], stride[1], padding);
  if (oh < 1 || ow < 1) {
    return fail("F0301", `${label} needs at least ${kernel[0]}x${kernel[1]} input, got ${formatShape(input)}`);
  }
  return ok([oh, ow, channels]);
}

/** Keras default initialisers, seeded per layer so weights never depend on build order. */
export function glorot(tfl: Tfl, seed: number) {
  return tfl.initializers.glorotUniform({ seed });
}
