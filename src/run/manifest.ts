/**
 * `run.yaml`: the run's identity, provenance and outcome, validated against
 * `schema/run.schema.json` (shipped in the package) on every write and read, so a hand-edited or
 * truncated manifest is caught rather than half-trusted.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import YAML from "yaml";
import { writeFileAtomic, writeFileAtomicSync } from "./atomicFs.js";
import { damaged, readRecordText } from "./recordFiles.js";
import type { RunStatus } from "../train/events.js";
import type { Protocol } from "../train/protocol.js";
import type { GitState } from "../git/state.js";

/** One way the run differs from its spec file, as given on the command line. */
export interface RunOverride {
  /** The flag without dashes: `epochs`, `batch`, `seed`, `data`, `augment`, `limit`, `time-limit`, `backend`. */
  readonly flag: string;
  /** What the run used: `--epochs 2` → 2; for `augment`, whether augmentation was on. */
  readonly value: string | number | boolean;
  /** What the spec says instead, where it says anything (`train.epochs 100` → 100; a source as written). */
  readonly spec?: string | number | boolean;
}

export interface RunDistill {
  readonly teacher: { readonly relative: string; readonly absolute: string };
  readonly teacherHash?: string;
  readonly kind?: "ensemble" | "run";
  readonly members?: number;
  readonly temperature: number;
  readonly weight: number;
  /** The cache key of the teacher's train-split probabilities (src/distill/targets.ts). */
  readonly targets?: string;
  /** `targets per-view`: the teacher saw each exact training view (no cached targets). */
  readonly perView?: boolean;
}

/** Fine-tuning (`train { init-from ... }`): where the starting weights came from. */
export interface RunInit {
  readonly record: { readonly relative: string; readonly absolute: string };
  /** Filled in once the weights are read. */
  readonly checkpoint?: "best" | "last";
  readonly epoch?: number;
  readonly hash?: string;
}

export interface RunManifest {
  readonly manifestVersion: 1;
  readonly spec: string;
  readonly runId: string;
  readonly specHash: string;
  readonly dataHash: string;
  readonly backend: string;
  readonly backendReason?: string;
  /**
   * The data source the run read (CSV file or image folder; absent for synthetic data), relative to
   * the run directory and absolute, so eval and resume find it from any working directory.
   */
  readonly dataSource?: { readonly relative: string; readonly absolute: string };
  /** Kernels the starting process computed with: "native AVX2, 2 threads", "portable (why)". */
  readonly kernels?: string;
  /** The process that last trained in this directory (a live one blocks `--resume`). */
  readonly owner?: { readonly pid: number; readonly host: string };
  readonly versions: { readonly ferc: string; readonly tfjs: string; readonly node: string };
  readonly seed: number;
  readonly flags: Readonly<Record<string, string | number | boolean>>;
  /** How the run differs from its spec file (command-line overrides), in flag order; src/run/asRun.ts. */
  readonly overrides?: readonly RunOverride[];
  /** The commit the spec was run from, when it is in a git repository (src/git/state.ts). */
  readonly git?: GitState;
  readonly augment: boolean;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly status: RunStatus;
  readonly reason?: "epochs" | "early-stop" | "time-limit" | "nan" | "interrupted" | "error";
  readonly message?: string;
  readonly epochsPlanned: number;
  readonly epochsDone: number;
  readonly bestEpoch: number;
  readonly resumes?: readonly { readonly at: string; readonly fromEpoch: number; readonly backend?: string }[];
  /** Which split drove each choice (early stop, schedule, best checkpoint, restore-best, tta). */
  readonly protocol?: Protocol;
  /** Distillation: the teacher (found from anywhere, as dataSource is), its hash once read, the loss's settings. */
  readonly distill?: RunDistill;
  /** Fine-tuning: the run record the weights started from. */
  readonly init?: RunInit;
  readonly test?: { readonly loss: number; readonly acc: number; readonly macroF1: number; readonly n: number };
}

/** The schema ships next to dist/ and src/ (package `files` includes schema/). */
export const RUN_SCHEMA_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../schema/run.schema.json");

let validator: ValidateFunction | null = null;

function validate(): ValidateFunction {
  if (validator) return validator;
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  // ajv-formats is not a dependency; ISO-8601 UTC timestamps are all ferc writes.
  ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  validator = ajv.compile(JSON.parse(readFileSync(RUN_SCHEMA_PATH, "utf8")) as object);
  return validator;
}

/** Every property name the schema defines: the only keys an error may name (see manifestErrors). */
function schemaKeys(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const s of schema) schemaKeys(s, out);
  else if (schema !== null && typeof schema === "object") {
    for (const [k, v] of Object.entries(schema)) {
      if (k === "properties" && v !== null && typeof v === "object") for (const name of Object.keys(v)) out.add(name);
      schemaKeys(v, out);
    }
  }
  return out;
}

let knownKeys: Set<string> | null = null;

/**
 * Validation errors as readable lines; empty when valid. The place is named by the schema's
 * property names and list indices only: a key the file made up is shown as "…" and an unexpected
 * property is not named, so no error repeats what the file holds.
 */
export function manifestErrors(data: unknown): string[] {
  const v = validate();
  if (v(data)) return [];
  knownKeys ??= schemaKeys(JSON.parse(readFileSync(RUN_SCHEMA_PATH, "utf8")));
  const shown = (k: string): string => (knownKeys!.has(k) || /^\d+$/.test(k) ? k : "…");
  return (v.errors ?? []).map((e) => {
    const where = e.instancePath === "" ? "/" : e.instancePath.split("/").map((k, i) => (i === 0 ? k : shown(k))).join("/");
    const extra = e.params && "additionalProperty" in e.params ? ` (${shown(String(e.params.additionalProperty))})` : "";
    return `${where} ${e.message ?? "invalid"}${extra}`;
  });
}

/** Where and what a YAML syntax error is, without the source excerpt the yaml package adds. */
export function yamlErrorPlace(e: unknown): string {
  const err = e as { code?: unknown; linePos?: readonly { line: number; col: number }[] };
  const code = typeof err.code === "string" ? err.code.toLowerCase().replace(/_/g, " ") : "syntax error";
  const at = err.linePos?.[0];
  return at ? `${code} at line ${at.line}, column ${at.col}` : code;
}

/** JSON round trip drops `undefined` optionals, which YAML would otherwise write as null. */
function clean(m: RunManifest): RunManifest {
  return JSON.parse(JSON.stringify(m)) as RunManifest;
}

/** run.yaml's text for `m` (validated against the schema first). */
export function manifestText(m: RunManifest): string {
  const data = clean(m);
  const errs = manifestErrors(data);
  if (errs.length > 0) throw new Error(`internal: run manifest fails its schema: ${errs.join("; ")}`);
  return YAML.stringify(data);
}

export async function writeManifest(runDir: string, m: RunManifest): Promise<void> {
  await writeFileAtomic(path.join(runDir, "run.yaml"), manifestText(m));
}

/** For a process about to exit (see signals.ts `forcedExit`). */
export function writeManifestSync(runDir: string, m: RunManifest): void {
  writeFileAtomicSync(path.join(runDir, "run.yaml"), manifestText(m));
}

/** Read and validate `run.yaml`; a missing or damaged one is a RecordError naming it. */
export async function readManifest(runDir: string): Promise<RunManifest> {
  const file = path.join(runDir, "run.yaml");
  const text = await readRecordText(file);
  let data: unknown;
  try {
    data = YAML.parse(text);
  } catch (e) {
    throw damaged(file, `not valid YAML (${yamlErrorPlace(e)})`);
  }
  const errs = manifestErrors(data);
  if (errs.length > 0) throw damaged(file, `not a valid run manifest: ${errs.join("; ")}`);
  return data as RunManifest;
}
