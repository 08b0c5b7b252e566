/**
 * Checkpoint directories (`checkpoints/best/`, `checkpoints/last/`): the model in tfjs format
 * (`model.json` + `weights.bin`, loadable with `tf.loadLayersModel`), the trainer state
 * (`state.json`) and the optimizer's slots (`optimizer.bin`). Written through a custom `tf.io`
 * IOHandler into memory, then swapped onto disk atomically as a whole directory. A binary file
 * over 8 MiB is written in shards (`weights-shard1of2.bin` …, see shards.ts) that model.json and
 * state.json list, so every file of a committed record stays under 10 MB.
 */
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { OptimizerState, SavedTensor } from "../train/optimizer.js";
import { parseTrainerState, type TrainerState } from "../train/state.js";
import type { WeightSnapshot } from "../train/weights.js";
import { exists, resolveSwappedDir, writeDirAtomic } from "./atomicFs.js";
import { damaged, isNumberArray, isObject, readRecordBytes, readRecordJson, recordDirExists, RecordError } from "./recordFiles.js";
import { readShards, shardListProblem, shardNames, splitShards } from "./shards.js";

/** `OptimizerState.kind` of a checkpoint whose optimizer.bin was left out (weights-only record). */
export const OPTIMIZER_STATE_MISSING = "missing";

export type CheckpointKind = "best" | "last";

interface ModelJson {
  readonly format: "layers-model";
  readonly generatedBy: string;
  readonly convertedBy: null;
  readonly modelTopology: unknown;
  readonly weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/**
 * A save-only IOHandler that captures the artifacts tfjs produces, for us to write atomically.
 * `weightPaths` names the weight files for a blob of so many bytes (one `weights.bin` unless a
 * checkpoint shards it).
 */
export async function serializeModel(
  model: LayersModel,
  weightPaths: (bytes: number) => string[] = () => ["weights.bin"],
): Promise<{ modelJson: string; weights: Uint8Array; paths: string[] }> {
  let captured: tf.io.ModelArtifacts | null = null;
  const handler: tf.io.IOHandler = {
    async save(artifacts) {
      captured = artifacts;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
  await model.save(handler);
  const a = captured as tf.io.ModelArtifacts | null;
  if (!a) throw new Error("model.save produced no artifacts");
  const buf = a.weightData ? tf.io.CompositeArrayBuffer.join(a.weightData) : new ArrayBuffer(0);
  const paths = weightPaths(buf.byteLength);
  const json: ModelJson = {
    format: "layers-model",
    generatedBy: `TensorFlow.js tfjs-layers v${tfl.version_layers} (ferc)`,
    convertedBy: null,
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths, weights: a.weightSpecs ?? [] }],
  };
  return { modelJson: JSON.stringify(json), weights: new Uint8Array(buf), paths };
}

interface OptimizerManifest {
  readonly kind: string;
  readonly accBeta1?: number;
  readonly accBeta2?: number;
  /** The files holding the slots, in order (absent in records written before shards: optimizer.bin). */
  readonly paths?: string[];
  readonly tensors: { name: string; shape: number[]; dtype: "float32" | "int32"; offset: number; length: number }[];
}

function packOptimizer(opt: OptimizerState): { manifest: OptimizerManifest; bin: Uint8Array } {
  let bytes = 0;
  const tensors = opt.tensors.map((t) => {
    const entry = { name: t.name, shape: t.shape, dtype: t.dtype, offset: bytes, length: t.values.length };
    bytes += t.values.length * 4;
    return entry;
  });
  const bin = new Uint8Array(bytes);
  opt.tensors.forEach((t, i) => bin.set(new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength), tensors[i]!.offset));
  const paths = shardNames("optimizer", bytes);
  return { manifest: { kind: opt.kind, accBeta1: opt.accBeta1, accBeta2: opt.accBeta2, paths, tensors }, bin };
}

function unpackOptimizer(m: OptimizerManifest, bin: Uint8Array): OptimizerState {
  // Copy into an aligned buffer: typed-array views need 4-byte aligned offsets.
  const aligned = new Uint8Array(bin.byteLength);
  aligned.set(bin);
  const tensors: SavedTensor[] = m.tensors.map((t) => ({
    name: t.name,
    shape: t.shape,
    dtype: t.dtype,
    values: t.dtype === "int32" ? new Int32Array(aligned.buffer, t.offset, t.length).slice() : new Float32Array(aligned.buffer, t.offset, t.length).slice(),
  }));
  return { kind: m.kind, tensors, accBeta1: m.accBeta1, accBeta2: m.accBeta2 };
}

export async function writeCheckpoint(
  runDir: string,
  kind: CheckpointKind,
  model: LayersModel,
  state: TrainerState,
  optimizer: OptimizerState,
): Promise<void> {
  const { modelJson, weights, paths } = await serializeModel(model, (bytes) => shardNames("weights", bytes));
  const { manifest, bin } = packOptimizer(optimizer);
  await writeDirAtomic(path.join(runDir, "checkpoints", kind), {
    "model.json": modelJson,
    ...splitShards(weights, paths),
    ...splitShards(bin, manifest.paths!),
    "state.json": JSON.stringify({ ...state, optimizer: manifest }, null, 1),
  });
}

export interface LoadedCheckpoint {
  readonly dir: string;
  readonly state: TrainerState;
  readonly optimizer: OptimizerState;
  readonly weights: WeightSnapshot;
  readonly modelJson: ModelJson;
  readonly weightData: ArrayBuffer;
  /** The weight file(s) in words, for errors: `…/weights.bin` or `…/weights-shard1of2.bin … weights-shard2of2.bin`. */
  readonly weightsFile: string;
}

/** A shard list in words: the one name, or the first … the last. */
function namesLabel(names: readonly string[]): string {
  return names.length === 1 ? names[0]! : `${names[0]} … ${names[names.length - 1]}`;
}

/** Files of `dir` named by a shard list, in words, for errors. */
function filesLabel(dir: string, names: readonly string[]): string {
  return path.join(dir, namesLabel(names));
}

/** The directory to read for a checkpoint, or null; a symlinked or non-directory one is a RecordError. */
export async function checkpointDir(runDir: string, kind: CheckpointKind): Promise<string | null> {
  const checkpoints = path.join(runDir, "checkpoints");
  if (!(await recordDirExists(checkpoints))) return null;
  const dir = await resolveSwappedDir(path.join(checkpoints, kind));
  return dir !== null && (await recordDirExists(dir)) ? dir : null;
}

const DTYPE_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** What is wrong with a parsed model.json (null when it describes a layers model and its weights). */
function modelJsonProblem(v: unknown): string | null {
  if (!isObject(v) || !isObject(v["modelTopology"])) return "no modelTopology";
  const groups = v["weightsManifest"];
  if (!Array.isArray(groups) || groups.length === 0) return "no weightsManifest";
  for (const g of groups) {
    if (!isObject(g) || !Array.isArray(g["weights"])) return "weightsManifest without weights";
    for (const [i, w] of (g["weights"] as unknown[]).entries()) {
      if (!isObject(w) || typeof w["name"] !== "string" || !isNumberArray(w["shape"]) || DTYPE_BYTES[String(w["dtype"])] === undefined) {
        return `weightsManifest entry ${i + 1} is not a weight (name, shape, dtype)`;
      }
    }
  }
  const problem = shardListProblem(groups.flatMap((g: Record<string, unknown>) => (Array.isArray(g["paths"]) ? (g["paths"] as unknown[]) : [null])));
  return problem === null ? null : `weightsManifest.paths: ${problem}`;
}

/** The weight files of a checkpoint directory, in order, as model.json lists them (validated). */
export async function checkpointWeightFiles(dir: string): Promise<string[]> {
  const modelJson = await readRecordJson<ModelJson>(path.join(dir, "model.json"), modelJsonProblem);
  return modelJson.weightsManifest.flatMap((g) => g.paths);
}

function weightBytes(specs: readonly tf.io.WeightsManifestEntry[]): number {
  return specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[s.quantization?.dtype ?? s.dtype]!, 0);
}

/** What is wrong with an optimizer manifest over `binBytes` bytes read from the files `names`. */
function optimizerProblem(m: OptimizerManifest, binBytes: number, names: readonly string[]): string | null {
  if (!Array.isArray(m.tensors)) return "optimizer.tensors is not a list";
  for (const t of m.tensors) {
    // Offsets and lengths index optimizer.bin: non-negative, aligned, and the shape's own size
    // (a length of -1 made a typed array of length -1: a RangeError, not a message).
    if (!isObject(t) || !Number.isSafeInteger(t.offset) || !Number.isSafeInteger(t.length) || t.offset < 0 || t.length < 0 || t.offset % 4 !== 0) return "an optimizer tensor entry is malformed";
    if (t.dtype !== "float32" && t.dtype !== "int32") return "an optimizer tensor entry has a dtype other than float32 or int32";
    if (!isNumberArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0) || t.shape.reduce((a, b) => a * b, 1) !== t.length) return "an optimizer tensor entry's shape does not match its length";
    if (t.offset + t.length * 4 > binBytes) {
      return `${namesLabel(names)} ${names.length === 1 ? "holds" : "hold"} ${binBytes} bytes, state.json needs ${t.offset + t.length * 4}`;
    }
  }
  return null;
}

/**
 * Read and validate a checkpoint. Every file problem (missing, truncated, not JSON, the wrong
 * shape) is a RecordError naming the file; nothing is written.
 */
export async function readCheckpoint(runDir: string, kind: CheckpointKind): Promise<LoadedCheckpoint> {
  const dir = await checkpointDir(runDir, kind);
  if (!dir) throw new RecordError(`${path.join(runDir, "checkpoints", kind)} is missing: the run has no ${kind} checkpoint`, path.join(runDir, "checkpoints", kind));
  const modelFile = path.join(dir, "model.json");
  const modelJson = await readRecordJson<ModelJson>(modelFile, modelJsonProblem);
  const weightNames = modelJson.weightsManifest.flatMap((g) => g.paths);
  const weightsFile = filesLabel(dir, weightNames);
  const wbuf = await readShards(weightNames, (n) => readRecordBytes(path.join(dir, n)));
  const specs = modelJson.weightsManifest.flatMap((g) => g.weights);
  const want = weightBytes(specs);
  if (wbuf.byteLength !== want) {
    throw damaged(weightsFile, `${wbuf.byteLength} bytes, but model.json describes ${want} (${wbuf.byteLength < want ? "truncated" : "wrong file"})`);
  }
  const weightData = wbuf.buffer.slice(wbuf.byteOffset, wbuf.byteOffset + wbuf.byteLength);
  const stateFile = path.join(dir, "state.json");
  const { optimizer: optManifest, ...rest } = await readRecordJson<{ optimizer?: OptimizerManifest }>(stateFile, (v) => (isObject(v) ? null : "not a JSON object"));
  let state: TrainerState;
  try {
    state = parseTrainerState(rest);
  } catch (e) {
    throw damaged(stateFile, (e as Error).message);
  }
  // A published record (runs/ in git) may keep only the weights: without optimizer.bin (or its
  // shards) the checkpoint still evaluates and predicts, it just cannot be resumed (resume checks
  // `kind`). With some shards but not all, the read names the missing one.
  let optimizer: OptimizerState = { kind: OPTIMIZER_STATE_MISSING, tensors: [] };
  if (optManifest) {
    const optNames = optManifest.paths ?? ["optimizer.bin"];
    const listProblem = shardListProblem(optNames);
    if (listProblem !== null) throw damaged(stateFile, `optimizer.paths: ${listProblem}`);
    const present = await Promise.all(optNames.map((n) => exists(path.join(dir, n))));
    if (present.some(Boolean)) {
      const bin = await readShards(optNames, (n) => readRecordBytes(path.join(dir, n)));
      const problem = optimizerProblem(optManifest, bin.byteLength, optNames);
      if (problem !== null) throw damaged(filesLabel(dir, optNames), problem);
      optimizer = unpackOptimizer(optManifest, bin);
    }
  }
  // Decoding makes tensors, which needs a backend. Without one, tfjs throws from decodeWeights
  // and the catch below would call sound weights damaged: say what is really missing.
  try {
    await tf.ready();
  } catch (e) {
    throw new Error(`cannot read ${weightsFile}: no tfjs backend is set up (${(e as Error).message})`);
  }
  let named: tf.NamedTensorMap;
  try {
    named = tf.io.decodeWeights(weightData, specs);
  } catch {
    // tfjs's message names entries of model.json: the error says what, not what the file holds.
    throw damaged(weightsFile, "its bytes cannot be decoded as the weights model.json describes");
  }
  const values: Float32Array[] = [];
  for (const s of specs) {
    const t = named[s.name]!;
    values.push(Float32Array.from(await t.data<"float32">()));
    t.dispose();
  }
  const weights: WeightSnapshot = { names: specs.map((s) => s.name), shapes: specs.map((s) => s.shape), values };
  return { dir, state, optimizer, weights, modelJson, weightData, weightsFile };
}

/** Load a checkpoint as a standalone LayersModel (for eval/predict without the spec compiler). */
export async function loadCheckpointModel(ckpt: LoadedCheckpoint): Promise<LayersModel> {
  const handler: tf.io.IOHandler = {
    async load() {
      return {
        modelTopology: ckpt.modelJson.modelTopology as tf.io.ModelArtifacts["modelTopology"],
        weightSpecs: ckpt.modelJson.weightsManifest.flatMap((g) => g.weights),
        weightData: ckpt.weightData,
        format: "layers-model",
      };
    },
  };
  try {
    return await tfl.loadLayersModel(handler);
  } catch {
    throw damaged(path.join(ckpt.dir, "model.json"), "its model topology does not load as a tfjs LayersModel");
  }
}
