/**
 * An ensemble record exported. ONNX: one graph, input `pixels` as for a run, then each member's
 * own part (its preprocessing, its views, its layers, its views averaged; names prefixed `m1/`,
 * `m2/`, ...), then `Mean` over the members: output `probabilities`, what `ferc predict` computes
 * for the ensemble. tfjs: a directory whose `preprocess.json` is the ensemble's manifest (format
 * `ferc-tfjs-ensemble`: input, face rule, classes, the members' folders, "average their
 * probabilities") and one folder per member holding that member's ordinary tfjs export (its
 * model.json, weights.bin and preprocess.json with its own preprocessing and views); the
 * `ferc serve` page loads this. Members are checked against their hashes before anything is built.
 */
import * as path from "node:path";
import type { Tfl } from "../layers/kind.js";
import { openEnsemble } from "../ensemble/members.js";
import type { EnsembleManifest } from "../ensemble/record.js";
import { FACE_CROP_RULE, FACE_RULE, type FaceCropRule } from "../face/rule.js";
import { versions } from "../run/layout.js";
import { defaultExportPath, loadRunModel, tfjsExportOf, viewsOfSpec, writeOnnxFile, writeTfjsDir, type ExportFormat, type LoadedRunModel } from "./index.js";
import { modelNodes, ONNX_INPUT, ONNX_OUTPUT, viewsText } from "./onnx.js";
import { OnnxGraph } from "../onnx/graph.js";
import { TFJS_MANIFEST } from "./tfjs.js";

export interface LoadedEnsembleModels {
  readonly dir: string;
  readonly manifest: EnsembleManifest;
  /** Each member's model rebuilt from its spec with the checkpoint the ensemble uses. */
  readonly members: readonly LoadedRunModel[];
  dispose(): void;
}

/** The members' models, after checking each against its hash. Caller disposes. */
export async function loadEnsembleModels(dir: string, tfl: Tfl): Promise<LoadedEnsembleModels> {
  const e = await openEnsemble(dir);
  const members: LoadedRunModel[] = [];
  try {
    for (const m of e.members) members.push(await loadRunModel(m.dir, tfl, m.checkpoint));
  } catch (err) {
    for (const m of members) m.model.dispose();
    throw err;
  }
  return {
    dir,
    manifest: e.manifest,
    members,
    dispose() {
      for (const m of members) m.model.dispose();
    },
  };
}

/** The member folder in a tfjs export, and the ONNX name prefix: m1, m2, ... */
const memberTag = (i: number): string => `m${i + 1}`;

export function exportEnsembleOnnx(e: LoadedEnsembleModels): Uint8Array {
  const m = e.manifest;
  const [h, w, c] = m.input;
  const k = m.classes.length;
  const g = new OnnxGraph();
  const input = g.reserve(ONNX_INPUT);
  g.reserve(ONNX_OUTPUT);
  const outs = e.members.map((x, i) => {
    const { crop, tta } = viewsOfSpec(x.spec);
    return g.scoped(`${memberTag(i)}/`, () => modelNodes(g, input, x.model, x.stats, k, crop, tta));
  });
  // ONNX Mean: the element-wise mean of its inputs, what src/ensemble/predict.ts computes.
  const probabilities = outs.length === 1 ? outs[0]! : g.op("Mean", outs, "ensemble.mean");
  const members = e.members.map((x, i) => ({ prefix: memberTag(i), runId: x.runId, spec: x.spec.name, hash: m.members[i]!.hash, preprocess: x.stats.steps, views: { window: x.spec.augment.randomCrop ?? null, tta: x.spec.train.tta ?? "none" } }));
  return g.encode(
    {
      name: m.name,
      input: { name: ONNX_INPUT, dims: ["N", h, w, c] },
      output: { name: ONNX_OUTPUT, dims: ["N", k] },
      producerVersion: versions().ferc,
      docString:
        `ferc export of ensemble ${m.name} (${m.runId}): ${ONNX_INPUT} = raw 0..255 values [N,${h},${w},${c}] (NHWC; a face cut by the rule in metadata 'face'); ` +
        `${ONNX_OUTPUT} = the mean of ${e.members.length} members' softmax over ${m.classes.join(", ")}, each member on its own preprocessing and ${e.members.map((x) => viewsText(viewsOfSpec(x.spec).crop, viewsOfSpec(x.spec).tta)).join(" / ")}`,
      metadata: {
        classes: JSON.stringify(m.classes),
        ensemble: JSON.stringify({ name: m.name, runId: m.runId, averaging: "mean" }),
        members: JSON.stringify(members),
        face: FACE_RULE,
        runId: m.runId,
      },
    },
    probabilities,
  );
}

/** The ensemble's tfjs manifest (`preprocess.json` at the top of its export). */
export interface TfjsEnsembleManifest {
  readonly format: "ferc-tfjs-ensemble";
  readonly version: 1;
  readonly ensemble: string;
  readonly runId: string;
  readonly input: { readonly shape: readonly [null, number, number, number]; readonly dtype: "float32"; readonly feed: string };
  /** Each member's folder (holding its own ferc-tfjs export) and what it is. */
  readonly members: readonly { readonly dir: string; readonly runId: string; readonly spec: string; readonly hash: string }[];
  readonly averaging: "mean";
  readonly face: FaceCropRule;
  readonly classes: readonly string[];
  readonly output: string;
}

export async function ensembleTfjsFiles(e: LoadedEnsembleModels): Promise<Map<string, string | Uint8Array>> {
  const m = e.manifest;
  const [h, w, c] = m.input;
  const files = new Map<string, string | Uint8Array>();
  for (const [i, x] of e.members.entries()) {
    const t = await tfjsExportOf(x);
    for (const [name, body] of t.files) files.set(`${memberTag(i)}/${name}`, body);
  }
  const manifest: TfjsEnsembleManifest = {
    format: "ferc-tfjs-ensemble",
    version: 1,
    ensemble: m.name,
    runId: m.runId,
    input: {
      shape: [null, h, w, c],
      dtype: "float32",
      feed: `raw 0..255 values in HWC order of a face cut by the rule in face (grey, area-averaged to ${h}x${w}); give the same values to every member as its own preprocess.json says (its steps, then its views), and average the members' probabilities`,
    },
    members: e.members.map((x, i) => ({ dir: memberTag(i), runId: x.runId, spec: x.spec.name, hash: m.members[i]!.hash })),
    averaging: "mean",
    face: FACE_CROP_RULE,
    classes: [...m.classes],
    output: `softmax probabilities [N, ${m.classes.length}] in the order of classes: the mean of the members'`,
  };
  files.set(TFJS_MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  return files;
}

/** Write the export; returns the files written (paths). */
export async function exportEnsemble(e: LoadedEnsembleModels, to: ExportFormat, out: string): Promise<string[]> {
  if (to === "onnx") {
    await writeOnnxFile(out, exportEnsembleOnnx(e));
    return [out];
  }
  const files = await ensembleTfjsFiles(e);
  await writeTfjsDir(out, files);
  return [...files.keys()].map((f) => path.join(out, f));
}

export const defaultEnsembleExportPath = (e: LoadedEnsembleModels, to: ExportFormat): string => defaultExportPath(e.manifest.runId, to);
