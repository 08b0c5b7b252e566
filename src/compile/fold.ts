/**
 * Inference view of a trained model with batch norm folded into the convolution before it:
 * conv (linear, with or without bias) → batchnorm [→ relu] becomes one conv with bias [and relu],
 * W' = W·s, b' = (b − mean)·s + beta with s = gamma / sqrt(var + eps). This removes two full
 * passes over each such activation (the affine and the relu) from evaluation and prediction: the
 * `bias off` → batchnorm → relu layout of resnet-small and vgg-plus. Other layers are shared with
 * the trained model (same variables), so only the folded convolutions hold weights of their own,
 * refreshed from the trained ones on every `inferenceModel` call (training moves them between
 * evaluations). A model with nothing to fold is returned as it is.
 *
 * Exact in real arithmetic (inference batch norm is an affine map per channel); in float32 the
 * predictions differ from the unfolded model by rounding only (tested).
 *
 * Which layers fold is each kind's declaration (`LayerKind.fold`, in src/layers/): batchnorm folds
 * as an affine map into a linear conv, a relu activation into the conv that took in a batchnorm.
 * The tfjs layers are matched to their checked layers through the spec the model was compiled
 * from, and the folded layer is built by its own kind's builder; no tfjs class name is consulted.
 */
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import type { LayerIR } from "../ir.js";
import { outputActivation, type InferenceFold, type LayerKind } from "../layers/kind.js";
import { layerKind } from "../layers/registry.js";
import { numberOption } from "../schema/signature.js";
import { layerOwners } from "./tfjs.js";

/** The tfjs-layers internals the rewrite walks (not in the public typings). */
interface GraphNode {
  inboundLayers: GraphLayer[];
}
interface GraphLayer {
  name: string;
  getWeights(trainableOnly?: boolean): tf.Tensor[];
  weights: { dispose(): void }[];
  setWeights(w: tf.Tensor[]): void;
  apply(x: tfl.SymbolicTensor | tfl.SymbolicTensor[]): tfl.SymbolicTensor | tfl.SymbolicTensor[];
  inboundNodes: GraphNode[];
  outboundNodes: unknown[];
}

interface Fold {
  conv: GraphLayer;
  bn: GraphLayer;
  folded: GraphLayer;
  epsilon: number;
  /** Data ids of the source weights at the last refresh: assign() swaps a variable's data id. */
  seen: unknown[];
}

interface View {
  model: tfl.LayersModel;
  folds: Fold[];
}

const views = new WeakMap<tfl.LayersModel, View | null>();

const consumers = (l: GraphLayer): number => l.outboundNodes.length;

type Builder = NonNullable<LayerKind["build"]>;

/** The layer's fold declaration when it has the given effect. */
function foldOf(owner: LayerIR | undefined, effect: InferenceFold["effect"]): InferenceFold | undefined {
  const fold = owner && layerKind(owner.kind)?.fold;
  return fold?.effect === effect ? fold : undefined;
}

function build(model: tfl.LayersModel): View | null {
  const owners = layerOwners(model);
  if (!owners) return null;
  // A tfjs layer's checked layer, when it is a plain layer (not a container's step).
  const own = (l: GraphLayer): LayerIR | undefined => {
    const o = owners.get(l.name);
    return o && !layerKind(o.kind)?.container ? o : undefined;
  };
  const layers = model.layers as unknown as GraphLayer[];
  const consumerOf = new Map<GraphLayer, GraphLayer>();
  for (const l of layers) for (const src of l.inboundNodes[0]?.inboundLayers ?? []) consumerOf.set(src, l);
  // target → affine [→ activation] chains, each link the only consumer of the one before and its only input.
  const plan = new Map<GraphLayer, { target: LayerIR; rebuild: Builder; affine: LayerIR; bn: GraphLayer; act: LayerIR | null }>();
  const skipped = new Map<GraphLayer, GraphLayer>(); // folded-away layer → the layer standing in for it
  for (const l of layers) {
    const target = own(l);
    const rebuild = target && layerKind(target.kind)?.build;
    if (!target || !rebuild || consumers(l) !== 1) continue;
    const bn = consumerOf.get(l);
    const affine = bn && own(bn);
    if (!bn || !affine || bn.inboundNodes[0]?.inboundLayers.length !== 1 || !foldOf(affine, "affine")?.into(affine, target)) continue;
    const next = consumers(bn) === 1 ? consumerOf.get(bn) : undefined;
    const act = next && own(next);
    const folds = next && act && next.inboundNodes[0]?.inboundLayers.length === 1 && foldOf(act, "activation")?.into(act, target);
    plan.set(l, { target, rebuild, affine, bn, act: folds ? act : null });
    skipped.set(bn, l);
    if (folds) skipped.set(next, l);
  }
  if (plan.size === 0) return null;
  const out = new Map<GraphLayer, tfl.SymbolicTensor>();
  const folds: Fold[] = [];
  // Fresh inputs in place of the model's (a Sequential model does not list its InputLayer).
  const inputs = (model.inputs as tfl.SymbolicTensor[]).map((t) => {
    const fresh = tfl.input({ shape: t.shape.slice(1) as number[], name: t.sourceLayer.name });
    out.set(t.sourceLayer as unknown as GraphLayer, fresh);
    return fresh;
  });
  for (const l of layers) {
    if (out.has(l)) continue; // an input layer
    const stand = skipped.get(l);
    if (stand) {
      out.set(l, out.get(stand)!);
      continue;
    }
    const ins = (l.inboundNodes[0]?.inboundLayers ?? []).map((s) => out.get(s)!);
    const arg = ins.length === 1 ? ins[0]! : ins;
    const p = plan.get(l);
    if (!p) {
      out.set(l, l.apply(arg) as tfl.SymbolicTensor); // shared: the trained layer and its variables
      continue;
    }
    // The target's own kind builds it again, with a bias (the fold's shift) and the folded activation.
    const activation = (p.act && outputActivation(layerKind(p.act.kind), p.act.options).value) ?? "linear";
    const options = { ...p.target.options, bias: true, activation };
    // Any seed: refresh() sets the weights before the view is used.
    const folded = p.rebuild(tfl, options, { name: l.name, seed: 0 }) as unknown as GraphLayer;
    out.set(l, folded.apply(arg) as tfl.SymbolicTensor);
    folds.push({ conv: l, bn: p.bn, folded, epsilon: numberOption(p.affine.options, "epsilon"), seen: [] });
  }
  const outputs = (model.outputs as tfl.SymbolicTensor[]).map((t) => out.get(t.sourceLayer as unknown as GraphLayer)!);
  return { model: tfl.model({ inputs: inputs.length === 1 ? inputs[0]! : inputs, outputs: outputs.length === 1 ? outputs[0]! : outputs, name: `${model.name}_folded` }), folds };
}

function refresh(view: View): void {
  for (const f of view.folds) {
    const [w, b] = f.conv.getWeights();
    const [gamma, beta, mean, variance] = f.bn.getWeights();
    // Unchanged since the last call (repeated predictions): nothing to recompute.
    const ids = [w, b, gamma, beta, mean, variance].map((t) => (t as { dataId?: unknown } | undefined)?.dataId);
    if (ids.length === f.seen.length && ids.every((id, i) => id === f.seen[i])) continue;
    f.seen = ids;
    const folded = tf.tidy(() => {
      const s = tf.div(gamma!, tf.sqrt(tf.add(variance!, f.epsilon)));
      const bias = tf.add(tf.mul(tf.sub(b ?? tf.zerosLike(mean!), mean!), s), beta!);
      return [tf.mul(w!, s), bias];
    });
    f.folded.setWeights(folded);
    tf.dispose(folded);
  }
}

/**
 * Frees the folded convolutions' weights of `model`'s inference view (the shared layers belong to
 * the model). A later `inferenceModel` call builds the view again.
 */
export function releaseInferenceModel(model: tfl.LayersModel): void {
  const view = views.get(model);
  views.delete(model);
  if (view) for (const f of view.folds) for (const w of f.folded.weights) w.dispose();
}

/** `model` for inference with batch norm folded where it can be (see above); weights current. */
export function inferenceModel(model: tfl.LayersModel): tfl.LayersModel {
  if (process.env["FERC_FOLD"] === "0") return model;
  let view = views.get(model);
  if (view === undefined) {
    view = build(model);
    views.set(model, view);
  }
  if (view === null) return model;
  refresh(view);
  return view.model;
}
