/**
 * `residual [project] [project-bn] [relu] { ...branch... }`: output = activation(branch(x) + shortcut(x)).
 * The shortcut is the identity, or with `project` a 1x1 conv whose filters equal the branch's
 * output channels and whose stride is chosen so its output matches the branch spatially (the
 * ResNet "option B" projection); `project-bn` adds a batchnorm after it (and drops the conv bias).
 *
 * The container itself contributes the Add (named after the residual, e.g. `res1`); the
 * projection is `res1.proj` (+ `res1.proj_bn`), a post-add activation `res1.act`. The checker
 * expands the branch like any block of layers and hands it here; this file owns the rest: how the
 * branch meets the shortcut, the projection's layers, the names, and the tfjs sub-graph.
 */
import type { SymbolicTensor } from "@tensorflow/tfjs-layers";
import type { Span } from "../diagnostics.js";
import type { LayerIR, OptionValue, Shape } from "../ir.js";
import { batchnorm } from "./batchnorm.js";
import { activationOption, INLINE_ACTIVATIONS, tfjsActivation, type InlineActivation } from "./common.js";
import { conv } from "./conv.js";
import { formatShape, NO_MACS, NO_PARAMS, ok, type ContainerCheck, type ContainerChecked, type LayerKind } from "./kind.js";
import { optBool, wordOption, type Options } from "../schema/signature.js";
import { onlyInput } from "./lowering.js";
import { activation as onnxActivation } from "../onnx/activation.js";
import { toNCHW } from "../onnx/values.js";

const known = (s: Shape): boolean => s.length > 0;

export const residual: LayerKind = {
  kind: "residual",
  abbrev: "res",
  summary: "residual block: add the branch output to the (optionally projected) input",
  example: "residual project project-bn relu { conv 3x3 64 same stride 2; batchnorm; conv 3x3 64 same }",
  signature: {
    options: [
      { name: "project", type: { t: "bool" }, default: false, doc: "1x1 conv on the shortcut to match the branch's shape" },
      { name: "project-bn", type: { t: "bool" }, default: false, doc: "batchnorm after the projection (implies project)" },
      { ...activationOption, doc: "activation applied after the add" },
    ],
  },
  // The container's own step is the Add: shapes are equal by then (the checker verifies).
  shape: (input) => ok(input),
  params: () => NO_PARAMS,
  // The Add multiplies nothing; the branch and the projection are layers of their own, summed by layerMacs.
  macs: NO_MACS,
  outputActivation: { option: "activation", of: postActivation },
  container: {
    // An empty branch is not an identity block: it adds the input to itself.
    emptyBody: {
      message: "residual has an empty branch, so it would compute x + x",
      hint: "put the branch's layers inside: residual project project-bn relu { conv 3x3 64 same stride 2; batchnorm; conv 3x3 64 same }",
    },
    check: checkResidual,
    tail: (l) => [{ name: l.name, kind: "add" }, ...(postActivation(l.options) ? [{ name: `${l.name}.act`, kind: "activation" }] : [])],
    build(tfl, l, x, parts) {
      const branch = parts(l.children ?? [], x);
      const shortcut = parts(l.shortcut ?? [], x);
      let y = tfl.layers.add({ name: l.name }).apply([branch, shortcut]) as SymbolicTensor;
      const act = builtActivation(l.options);
      if (act !== "linear") y = tfl.layers.activation({ name: `${l.name}.act`, activation: tfjsActivation(act) }).apply(y) as SymbolicTensor;
      return y;
    },
  },
  // Its tail: the add (named after the residual; operands brought to one layout, NCHW for feature
  // maps, summed pairwise) and the post-add activation `<name>.act`.
  onnx(s) {
    if (s.name !== s.layer.name) return onnxActivation(s.g, onlyInput(s), tfjsActivation(builtActivation(s.layer.options)), s.name, s.name);
    const xs = s.inputs.map((v) => toNCHW(s.g, v));
    let acc = xs[0]!.name;
    for (let i = 1; i < xs.length; i++) acc = s.g.op("Add", [acc, xs[i]!.name], i === xs.length - 1 ? s.name : `${s.name}.partial${i}`);
    return { name: acc, shape: s.inputs[0]!.shape, layout: xs[0]!.layout };
  },
};

/** The activation after the add of a checked residual (`linear`: none), read strictly for building and export. */
const builtActivation = (o: Options): InlineActivation => wordOption(o, "activation", INLINE_ACTIVATIONS);

/** The activation after the add, when there is one (`linear` is none); lenient, for a binding a mistake left incomplete. */
export function postActivation(o: Options): string | undefined {
  const a = o["activation"];
  return typeof a === "string" && a !== "linear" ? a : undefined;
}

export const projects = (o: Options): boolean => optBool(o, "project") || optBool(o, "project-bn");

function checkResidual(c: ContainerCheck): ContainerChecked {
  const { name, options, input, body } = c;
  // The shortcut and the add do not depend on the post-add activation.
  const shapeKnown = c.complete || (!c.opaque && c.unsure.every((o) => o === "activation"));
  const shortcut: LayerIR[] = [];
  let output: Shape = [];
  const project = projects(options);
  if (known(input) && known(body) && shapeKnown) {
    // On a mismatch the branch's shape still flows on: it is what the layers after meant.
    output = body;
    if (!project) {
      if (formatShape(input) !== formatShape(body)) c.report(`${name}: ${mismatchMessage(body, input, false)}`, "add `project` for a 1x1 conv shortcut");
    } else {
      const stride = projectionStride(input, body);
      if (!stride) c.report(`${name}: ${mismatchMessage(body, input, true)}: no 1x1 conv stride maps ${formatShape(input)} to ${formatShape(body)}`);
      else shortcut.push(...projection(c, stride, options["project-bn"] === true));
    }
  } else if (project && known(input) && !known(body)) {
    // Still claim the shortcut names so later duplicates and expects are reported consistently.
    c.claim(`${name}.proj`);
  }
  // A post-add activation is a tfjs layer `<name>.act` built from the residual's own options.
  const act = options["activation"];
  if (typeof act === "string" && act !== "linear") c.claim(`${name}.act`);
  return { output, shortcut };
}

/** The projection shortcut as ordinary conv (+ batchnorm) layers, so counting and building reuse them. */
function projection(c: ContainerCheck, stride: readonly [number, number], withBn: boolean): LayerIR[] {
  const { name, input, body: target, span } = c;
  const convOpts: Record<string, OptionValue> = {
    kernel: [1, 1],
    filters: target[2]!,
    stride: [...stride],
    padding: "valid",
    activation: "linear",
    bias: !withBn,
  };
  const out: LayerIR[] = [];
  const p = conv.params(input, convOpts);
  c.claim(`${name}.proj`);
  out.push(leaf(`${name}.proj`, conv.kind, convOpts, input, target, p.trainable, p.trainable, span));
  if (withBn) {
    const bnOpts = { momentum: 0.99, epsilon: 1e-3 };
    const b = batchnorm.params(target, bnOpts);
    c.claim(`${name}.proj_bn`);
    out.push(leaf(`${name}.proj_bn`, batchnorm.kind, bnOpts, target, target, b.trainable + b.nonTrainable, b.trainable, span));
  }
  return out;
}

function leaf(name: string, kind: string, options: Options, input: Shape, output: Shape, params: number, trainable: number, span: Span): LayerIR {
  return { name, kind, options: { ...options }, inputShape: input, outputShape: output, params, trainableParams: trainable, span };
}

/**
 * The stride for which a 1x1 valid conv maps `input` onto `target` spatially
 * (out = ceil(n / s)); undefined when no single integer stride does.
 */
export function projectionStride(input: Shape, target: Shape): readonly [number, number] | undefined {
  if (input.length !== 3 || target.length !== 3) return undefined;
  const axis = (n: number, t: number): number | undefined => {
    for (let s = 1; s <= n; s++) if (Math.ceil(n / s) === t) return s;
    return undefined;
  };
  const sh = axis(input[0]!, target[0]!);
  const sw = axis(input[1]!, target[1]!);
  return sh === undefined || sw === undefined ? undefined : [sh, sw];
}

export function mismatchMessage(branch: Shape, shortcut: Shape, projected: boolean): string {
  return `residual branch output ${formatShape(branch)} does not match the ${projected ? "projected " : ""}shortcut ${formatShape(shortcut)}`;
}
