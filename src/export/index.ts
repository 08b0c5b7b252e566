/**
 * `ferc export`: a run record's best checkpoint as ONNX or as a tfjs LayersModel directory.
 * The model is rebuilt from the recorded spec with the checkpoint's weights, exactly as
 * `ferc predict` does, and carries predict's test-time views (the window of a `random-crop`
 * model, the spec's `tta`), so an export computes what predict computes.
 */
import { promises as fsp } from "node:fs";
import * as path from "node:path";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { PreprocessStats } from "../data/preprocess.js";
import type { Tfl } from "../layers/kind.js";
import type { SpecIR } from "../ir.js";
import { compileModel } from "../compile/index.js";
import { checkpointDir, readCheckpoint } from "../run/checkpoint.js";
import { openRun, requireFits } from "../run/run.js";
import { versions } from "../run/layout.js";
import { writeDirAtomic, writeFileAtomic } from "../run/atomicFs.js";
import { restoreWeights } from "../train/weights.js";
import { exportOnnx } from "./onnx.js";
import { exportTfjs, TFJS_MANIFEST as TFJS_MANIFEST_NAME, type TfjsExport } from "./tfjs.js";
import { makeDirs } from "../util/mkdirs.js";
import type { Crop, Tta } from "../face/views.js";
import { fileKind } from "../util/fileKind.js";
import { FercError } from "../errors.js";

export { exportOnnx, ONNX_INPUT, ONNX_OUTPUT } from "./onnx.js";
export { exportTfjs, TFJS_MANIFEST, type TfjsExport, type TfjsManifest } from "./tfjs.js";
export { UnsupportedLayerError } from "./onnxLayers.js";

/** A run record that cannot be exported (missing files): a clear message, never a stack. */
export class ExportError extends FercError {
  readonly kind = "spec";
}

export interface LoadedRunModel {
  readonly runId: string;
  readonly spec: SpecIR;
  readonly stats: PreprocessStats;
  readonly model: LayersModel;
}

/** The run's best (else last, or the one named) checkpoint in a model rebuilt from its spec. Caller disposes. */
export async function loadRunModel(dir: string, tfl: Tfl, checkpoint?: "best" | "last"): Promise<LoadedRunModel> {
  let run;
  try {
    run = await openRun(dir);
  } catch (err) {
    throw new ExportError(`cannot open run ${dir}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (run.preprocess === null) throw new ExportError(`${dir}: preprocess.json is missing`);
  const kind = checkpoint ?? ((await checkpointDir(dir, "best")) ? "best" : (await checkpointDir(dir, "last")) ? "last" : null);
  if (!kind) throw new ExportError(`${dir}: no checkpoint to export (checkpoints/best or checkpoints/last)`);
  let ckpt;
  try {
    ckpt = await readCheckpoint(dir, kind);
    requireFits(ckpt, run.spec);
  } catch (err) {
    throw new ExportError(err instanceof Error ? err.message : String(err));
  }
  const model = compileModel(run.spec, tfl);
  try {
    restoreWeights(model, ckpt.weights);
  } catch {
    model.dispose();
    throw new ExportError(`${ckpt.weightsFile} is damaged: its weights do not fit the model of spec.ir.json (names or shapes differ)`);
  }
  return { runId: run.manifest.runId, spec: run.spec, stats: run.preprocess, model };
}

export type ExportFormat = "onnx" | "tfjs";

export function defaultExportPath(runId: string, to: ExportFormat): string {
  return to === "onnx" ? `${runId}.onnx` : `${runId}-tfjs`;
}

/** What predict averages over: the model's window of the input (random-crop) and the spec's tta. */
export function viewsOfSpec(spec: SpecIR): { crop: Crop; tta: Tta } {
  return { crop: spec.augment.randomCrop, tta: spec.train.tta ?? "none" };
}

export async function tfjsExportOf(m: LoadedRunModel): Promise<TfjsExport> {
  return exportTfjs(m.model, m.stats, { spec: m.spec.name, runId: m.runId, classes: m.spec.dataset.classes, ...viewsOfSpec(m.spec) });
}

/** Write the export; returns the files written (paths). */
export async function exportRun(m: LoadedRunModel, to: ExportFormat, out: string): Promise<string[]> {
  if (to === "onnx") {
    const bytes = exportOnnx(m.model, m.stats, {
      classes: m.spec.dataset.classes,
      name: m.spec.name,
      producerVersion: versions().ferc,
      metadata: { runId: m.runId },
      ...viewsOfSpec(m.spec),
    });
    await writeOnnxFile(out, bytes);
    return [out];
  }
  const t = await tfjsExportOf(m);
  await writeTfjsDir(out, t.files);
  return [...t.files.keys()].map((f) => path.join(out, f));
}

/** An ONNX file at `out` (not a directory), written atomically. */
export async function writeOnnxFile(out: string, bytes: Uint8Array): Promise<void> {
  try {
    const st = await fsp.lstat(out);
    if (st.isDirectory()) throw new ExportError(`-o ${out}: is a directory; give a file name such as ${path.join(out, "model.onnx")}`);
    // The write renames over its target: never over a device, FIFO, socket or link.
    if (!st.isFile()) throw new ExportError(`-o ${out}: is ${fileKind(st)}, not a regular file; ferc writes only new files or regular ones`);
  } catch (err) {
    if (err instanceof ExportError) throw err;
  }
  try {
    await makeDirs(path.dirname(path.resolve(out)));
    await writeFileAtomic(out, bytes);
  } catch (err) {
    throw new ExportError(`cannot write -o ${out}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** A tfjs export directory (a run's, or an ensemble's with its members in folders), written whole. */
export async function writeTfjsDir(out: string, files: ReadonlyMap<string, string | Uint8Array>): Promise<void> {
  await refuseForeignDir(out);
  try {
    await writeDirAtomic(out, Object.fromEntries(files));
  } catch (err) {
    throw new ExportError(`cannot write -o ${out}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/**
 * The tfjs export replaces its directory whole, so it only ever replaces an earlier export (or
 * an empty directory): `-o .` must not swap away someone's working directory.
 */
async function refuseForeignDir(out: string): Promise<void> {
  let entries: string[];
  try {
    const st = await fsp.lstat(out);
    if (!st.isDirectory()) throw new ExportError(`-o ${out}: exists and is not a directory`);
    entries = await fsp.readdir(out);
  } catch (err) {
    if (err instanceof ExportError) throw err;
    return;
  }
  if (entries.length === 0) return;
  if (await isTfjsExport(out)) return;
  throw new ExportError(`-o ${out}: the directory exists and is not a ferc tfjs export; give a new or empty directory`);
}

/** True when `dir` holds an earlier `ferc export --to tfjs` (its manifest says so). */
export async function isTfjsExport(dir: string): Promise<boolean> {
  try {
    const file = path.join(dir, TFJS_MANIFEST_NAME);
    if (!(await fsp.lstat(file)).isFile()) return false;
    const m = JSON.parse(await fsp.readFile(file, "utf8")) as { format?: unknown };
    return m.format === "ferc-tfjs" || m.format === "ferc-tfjs-ensemble";
  } catch {
    return false;
  }
}
