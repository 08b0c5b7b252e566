/**
 * The ensemble record on disk: `ensemble.yaml` (validated against `schema/ensemble.schema.json`
 * on every write and read, as run.yaml is against its schema), the ensemble file it was built
 * from (`ensemble.fer`), `report.json` / `report.md` and the confusion plot. An ensemble record
 * lives among run records (`runs/<name>-<timestamp>/`); its manifest's name tells the two apart.
 * Reads go through src/run/recordFiles.ts, so a missing or damaged file is a RecordError naming it.
 */
import { existsSync, promises as fsp, readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import YAML from "yaml";
import { writeFileAtomic } from "../run/atomicFs.js";
import { damaged, readRecordText } from "../run/recordFiles.js";
import type { Choice } from "../train/protocol.js";
import type { Tta } from "../face/views.js";
import type { SelectionMethod } from "./select.js";

export const ENSEMBLE_FILES = {
  manifest: "ensemble.yaml",
  source: "ensemble.fer",
  reportJson: "report.json",
  reportMd: "report.md",
  confusionSvg: "confusion.svg",
} as const;

/** A path recorded relative to the ensemble record and absolute, so the record can move with its members. */
export interface RecordedPath {
  readonly relative: string;
  readonly absolute: string;
}

/** One split's figures, with the split's name (PublicTest, PrivateTest on FER2013). */
export interface SplitSummary {
  readonly split: string;
  readonly acc: number;
  readonly loss: number;
  readonly macroF1?: number;
  readonly n: number;
}

export interface MemberViews {
  /** The model's window of the input (`random-crop`), null for the whole image. */
  readonly window: readonly [number, number] | null;
  readonly tta: Tta;
  /** How many views one image's probabilities average. */
  readonly count: number;
}

export interface EnsembleMember {
  readonly runId: string;
  readonly spec: string;
  readonly dir: RecordedPath;
  readonly checkpoint: "best" | "last";
  /** src/ensemble/hash.ts: what the member's predictions depend on; checked before every use. */
  readonly hash: string;
  readonly params: number;
  /** Per image and view; null when the spec's multiply-adds are unknown. */
  readonly macs: number | null;
  readonly views: MemberViews;
  readonly trainingMs: number;
  /** The member run's status when the ensemble was built (a stopped run contributes its best checkpoint so far). */
  readonly status: string;
  readonly epochsDone?: number;
  readonly bestEpoch?: number;
  /** The member alone, from the same pass that evaluated the ensemble (no choice is made with them). */
  readonly val?: SplitSummary;
  readonly test?: SplitSummary;
}

export interface EnsembleProtocol {
  /** Who chose the members (the ensemble file or the command line), not a split. */
  readonly members: Choice;
  /** Each member's checkpoint: chosen by its own run (on val). */
  readonly memberCheckpoints: Choice;
  /** Each member's test-time views: fixed in its spec. */
  readonly memberTta: Choice;
  /** The unweighted mean: nothing fitted. */
  readonly averaging: Choice;
  readonly test: string;
}

/** How the members were chosen among candidate records, when they were (`ferc ensemble --select`). */
export interface EnsembleSelection {
  readonly method: SelectionMethod;
  /** What the method maximised: `val.acc` for greedy, `val.loss` (minimised) for greedy-loss. */
  readonly monitor: "val.acc" | "val.loss";
  /** Every candidate, alone on the validation split. */
  readonly candidates: readonly { readonly runId: string; readonly dir: RecordedPath; readonly hash: string; readonly val: SplitSummary }[];
  /** Each member as it was added, with the mean's validation figures after adding it. */
  readonly steps: readonly { readonly added: string; readonly val: SplitSummary }[];
}

export interface EnsembleManifest {
  readonly manifestVersion: 1;
  readonly kind: "ensemble";
  readonly name: string;
  readonly runId: string;
  readonly createdAt: string;
  readonly file?: string;
  readonly averaging: "mean";
  readonly classes: readonly string[];
  readonly input: readonly [number, number, number];
  readonly dataHash: string;
  readonly dataSource?: RecordedPath;
  readonly backend: string;
  readonly kernels?: string;
  readonly versions: { readonly ferc: string; readonly tfjs: string; readonly node: string };
  readonly sweep?: RecordedPath;
  readonly members: readonly EnsembleMember[];
  readonly totals: { readonly params: number; readonly macs: number | null; readonly macsWithViews?: number | null; readonly trainingMs: number };
  readonly protocol: EnsembleProtocol;
  readonly selection?: EnsembleSelection;
  readonly val?: SplitSummary;
  readonly test?: SplitSummary;
}

export const ENSEMBLE_SCHEMA_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../schema/ensemble.schema.json");

let validator: ValidateFunction | null = null;

function validate(): ValidateFunction {
  if (validator) return validator;
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  validator = ajv.compile(JSON.parse(readFileSync(ENSEMBLE_SCHEMA_PATH, "utf8")) as object);
  return validator;
}

/** Validation errors as readable lines; empty when valid. */
export function ensembleManifestErrors(data: unknown): string[] {
  const v = validate();
  if (v(data)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "invalid"}${e.params && "additionalProperty" in e.params ? ` (${String(e.params.additionalProperty)})` : ""}`);
}

/** Whether `dir` holds an ensemble record (its manifest is there); never throws. */
export async function isEnsembleRecord(dir: string): Promise<boolean> {
  try {
    return (await fsp.stat(path.join(dir, ENSEMBLE_FILES.manifest))).isFile();
  } catch {
    return false;
  }
}

export async function writeEnsembleManifest(dir: string, m: EnsembleManifest): Promise<void> {
  // The JSON round trip drops undefined optionals, which YAML would write as null.
  const data = JSON.parse(JSON.stringify(m)) as unknown;
  const errs = ensembleManifestErrors(data);
  if (errs.length > 0) throw new Error(`internal: ensemble manifest fails its schema: ${errs.join("; ")}`);
  await writeFileAtomic(path.join(dir, ENSEMBLE_FILES.manifest), YAML.stringify(data));
}

/** Read and validate `ensemble.yaml`; a missing or damaged one is a RecordError naming it. */
export async function readEnsembleManifest(dir: string): Promise<EnsembleManifest> {
  const file = path.join(dir, ENSEMBLE_FILES.manifest);
  const text = await readRecordText(file);
  let data: unknown;
  try {
    data = YAML.parse(text);
  } catch (e) {
    throw damaged(file, `not valid YAML (${(e as Error).message.split("\n")[0]})`);
  }
  const errs = ensembleManifestErrors(data);
  if (errs.length > 0) throw damaged(file, `not a valid ensemble manifest: ${errs.join("; ")}`);
  return data as EnsembleManifest;
}

/** Where a member's record is now: beside the ensemble record as recorded, else at its absolute path. */
export function memberDir(ensembleDir: string, m: EnsembleMember): string {
  const near = path.resolve(ensembleDir, m.dir.relative);
  // Not there: the absolute path, whose absence the member's reader reports.
  return existsSync(path.join(near, "run.yaml")) ? near : m.dir.absolute;
}

export function recordedPath(from: string, target: string): RecordedPath {
  return { relative: path.relative(from, target) || ".", absolute: path.resolve(target) };
}
