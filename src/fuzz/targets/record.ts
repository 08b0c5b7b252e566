/**
 * Fuzz target: the run-record readers (eval, predict, resume, report and serve read a record
 * through them; a sweep's sweep.yaml too). A real record is trained once (a few seconds, a tiny
 * net on generated faces); each input damages one or two of its files and runs every reader on
 * it, then puts the files back. Damage: bytes flipped, the file truncated, a value of the JSON or
 * YAML replaced (huge, negative, deeply nested, another type, a marker string), a key added, the
 * file replaced by a link to a file outside the record, a FIFO, a directory, or removed.
 * Oracle: each reader returns or rejects with its own error (RecordError, ReportError,
 * SweepStateError) and nothing else; no error message repeats the marker planted in a file's
 * content (the record's recorded failure message, which ferc shows on purpose, aside); each call
 * within the time bound (a FIFO must not block), the process within memory.
 */
import { execFileSync } from "node:child_process";
import { promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import type { SpecIR } from "../../ir.js";
import type { Tfl } from "../../layers/kind.js";
import { checkSource } from "../../check/index.js";
import { broken, campaign, Findings, type TargetOptions, type TargetReport } from "../bounds.js";
import { Rng } from "../mutate.js";

/** Planted in damaged content; no error may repeat it. */
export const MARKER = "PLANTED-RECORD-CONTENT";
/** The content of the file outside the record that links point to; no reader may return it. */
export const OUTSIDE = "CONTENT-OF-A-FILE-OUTSIDE-THE-RECORD";

const SPEC = `spec fuzzrec
dataset faces {
  source synthetic count 140 seed 3
  input 12x12x1
  classes angry disgust fear happy sad surprise neutral
}
preprocess { standardize per-image }
model { conv 3x3 4 relu same; batchnorm; maxpool 2x2; flatten; dense 7 softmax }
train { optimizer adam; loss categorical-crossentropy; batch 32; epochs 1; seed 3 }
`;

const SWEEP = `sweepVersion: 1
id: fuzz-1
spec: fuzzrec
specFile: fuzz.fer
createdAt: "2026-01-01T00:00:00.000Z"
rankedBy: val.acc
sampling:
  mode: grid
vary:
  - path: train.batch
    values: ["16", "32"]
run:
  epochs: 1
executor: local
trials:
  - id: t1
    assignment: { train.batch: "16" }
    changes: []
    params: 100
    spec: trials/t1/spec.fer
    status: completed
    attempts: 1
    wallMs: 10
`;

/** The readers' own error classes: a rejection of any other class is a finding. */
type ErrorClass = abstract new (...args: never[]) => Error;

const VALUES: readonly unknown[] = [MARKER, `${MARKER}\n${MARKER}`, 1e308, -1, 0, 2 ** 53 + 2, -0.5, 1e9, null, true, "", [], {}, [MARKER], { [MARKER]: MARKER }, "\u001b[31m", "../../etc/passwd"];

/** A JSON-ish value made deeply nested (parsers, printers and checks must not recurse without end). */
const deep = (depth: number): unknown => {
  let v: unknown = MARKER;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
  return v;
};

/** Every path of a parsed JSON/YAML value, to pick one to damage. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (out.length > 5000) return out;
  if (Array.isArray(v)) v.slice(0, 50).forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function setAt(root: unknown, at: readonly (string | number)[], value: unknown): unknown {
  if (at.length === 0) return value;
  const parent = at.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], root);
  (parent as Record<string | number, unknown>)[at[at.length - 1]!] = value;
  return root;
}

type Damage = (file: string, rng: Rng, outside: string) => Promise<string>;

const structured: Damage = async (file, rng) => {
  const text = await fsp.readFile(file, "utf8");
  const yaml = /\.ya?ml$/.test(file);
  let v: unknown;
  try {
    v = yaml ? YAML.parse(text) : JSON.parse(text);
  } catch {
    v = {};
  }
  const ps = paths(v);
  const at = rng.pick(ps);
  const choice = rng.int(10);
  const value = choice === 0 ? deep(1 + rng.int(3000)) : choice === 1 ? Array.from({ length: rng.int(20_000) }, () => rng.int(9)) : rng.pick(VALUES);
  let root = rng.next() < 0.15 && v !== null && typeof v === "object" && !Array.isArray(v) ? Object.assign(v, { [MARKER]: value }) : setAt(v, at, value);
  if (rng.next() < 0.1 && at.length > 0) {
    const parent = at.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], root);
    if (parent !== null && typeof parent === "object") delete (parent as Record<string | number, unknown>)[at[at.length - 1]!];
  }
  root ??= null;
  // The yaml package writes recursively: a deeply nested value is written as JSON, which is
  // flow-style YAML, so the reader still gets it thousands of levels deep.
  await fsp.writeFile(file, yaml && choice !== 0 ? YAML.stringify(root, { aliasDuplicateObjects: false }) : JSON.stringify(root));
  return `${path.basename(file)}: ${JSON.stringify(at)} := ${JSON.stringify(value)?.slice(0, 80)}`;
};

const bytes: Damage = async (file, rng) => {
  const b = Buffer.from(await fsp.readFile(file));
  const k = rng.int(4);
  if (k === 0) {
    await fsp.writeFile(file, b.subarray(0, rng.int(b.length + 1)));
    return `${path.basename(file)}: truncated`;
  }
  if (k === 1 || b.length === 0) {
    const at = rng.int(b.length + 1);
    await fsp.writeFile(file, Buffer.concat([b.subarray(0, at), Buffer.from(MARKER), b.subarray(at)]));
    return `${path.basename(file)}: marker inserted at ${at}`;
  }
  for (let i = 0; i < 1 + rng.int(8); i++) b[rng.int(b.length)] = rng.int(256);
  await fsp.writeFile(file, b);
  return `${path.basename(file)}: bytes flipped`;
};

const kind: Damage = async (file, rng, outside) => {
  await fsp.rm(file, { recursive: true, force: true });
  switch (rng.int(4)) {
    case 0:
      await fsp.symlink(outside, file);
      return `${path.basename(file)}: a link to a file outside`;
    case 1:
      execFileSync("mkfifo", [file]);
      return `${path.basename(file)}: a FIFO`;
    case 2:
      await fsp.mkdir(file);
      return `${path.basename(file)}: a directory`;
    default:
      return `${path.basename(file)}: removed`;
  }
};

/** Every file and directory of the record, relative to it. */
async function entriesOf(dir: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fsp.readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel === "" ? e.name : path.join(rel, e.name);
    out.push(r);
    if (e.isDirectory()) out.push(...(await entriesOf(dir, r)));
  }
  return out;
}

/** A reader's rejection must be its own error class, and must not repeat the planted content. */
function judge(what: string, err: unknown, refusals: readonly ErrorClass[]): void {
  if (!refusals.some((c) => err instanceof c)) {
    const e = err instanceof Error ? `${err.name}: ${err.message}\n${(err.stack ?? "").split("\n").slice(1, 5).join("\n")}` : String(err);
    broken(`record.${what}.throws`, e);
  }
  // A failed run's own account (run.yaml `message`) is shown on purpose: `the run failed (…)`.
  const said = (err as Error).message.replace(/: the run failed \(.*\)$/s, "");
  if (said.includes(MARKER) || said.includes(OUTSIDE)) broken(`record.${what}.quotes`, `an error repeats a file's content: ${said.slice(0, 300)}`);
}

export async function recordTarget(opts: TargetOptions): Promise<TargetReport> {
  const tf = await import("@tensorflow/tfjs-core");
  tf.env().set("PROD", true);
  await import("@tensorflow/tfjs-backend-cpu");
  await tf.setBackend("cpu");
  const tfl = (await import("@tensorflow/tfjs-layers")) as unknown as Tfl;
  const { compileModel } = await import("../../compile/index.js");
  const { startRun, openRun, openPredictor } = await import("../../run/run.js");
  const { readCheckpoint } = await import("../../run/checkpoint.js");
  const { requireFits } = await import("../../run/run.js");
  const { loadReportRun } = await import("../../report/htmlData.js");
  const { readSweepState, SweepStateError } = await import("../../sweep/state.js");
  const { ReportError } = await import("../../report/htmlData.js");
  const { RecordError } = await import("../../run/recordFiles.js");
  const { LockHeldError } = await import("../../run/lock.js");
  const refusals: readonly ErrorClass[] = [RecordError, ReportError, SweepStateError, LockHeldError];

  const root = await fsp.mkdtemp(path.join(os.tmpdir(), "ferc-fuzz-record-"));
  try {
    const checked = checkSource(SPEC);
    if (!checked.spec) throw new Error("record target: its spec does not check");
    const spec: SpecIR = checked.spec;
    const buildModel = (s: SpecIR) => compileModel(s, tfl);
    const run = await startRun({ spec, source: SPEC, deps: { buildModel }, backend: { name: "cpu" }, runsDir: path.join(root, "runs"), minFreeBytes: 0 });
    if (run.status !== "completed") throw new Error(`record target: the record's run ${run.status}: ${run.message ?? ""}`);
    const pristine = path.join(root, "pristine");
    await fsp.rename(run.dir, pristine);
    const sweepDir = path.join(pristine, "sweep");
    await fsp.mkdir(sweepDir);
    await fsp.writeFile(path.join(sweepDir, "sweep.yaml"), SWEEP);
    const outside = path.join(root, "outside.txt");
    await fsp.writeFile(outside, `${OUTSIDE}\n{"${OUTSIDE}": 1}\n`);
    const work = path.join(root, "work");
    await fsp.cp(pristine, work, { recursive: true });
    const files = await entriesOf(work);

    const rng = new Rng(opts.seed * 32_452_843 + 7);
    const findings = new Findings();
    const next = async (): Promise<{ touched: string[]; what: string[]; linked: boolean }> => {
      const touched: string[] = [];
      const what: string[] = [];
      let linked = false;
      for (let k = 0; k < 1 + (rng.next() < 0.2 ? 1 : 0); k++) {
        const rel = rng.pick(files);
        const file = path.join(work, rel);
        const st = await fsp.lstat(file).catch(() => null);
        // Only what is still a plain file or directory (an earlier damage may have made it a FIFO).
        if (!st || !(st.isFile() || st.isDirectory())) continue;
        touched.push(rel);
        const damage = st.isDirectory() || rng.next() < 0.1 ? kind : /\.(json|ya?ml)$/.test(rel) && rng.next() < 0.7 ? structured : bytes;
        const done = await damage(file, rng, outside);
        linked ||= done.includes("a link to a file outside");
        what.push(done);
      }
      return { touched, what, linked };
    };
    const examine = async (inp: { touched: string[]; linked: boolean }): Promise<void> => {
      try {
        const reading = async (what: string, f: () => Promise<unknown>): Promise<unknown> =>
          findings.timed(`record.${what}`, opts.timeLimitMs, async () => {
            let v: unknown;
            try {
              v = await f();
            } catch (e) {
              judge(what, e, refusals);
              findings.outcome(what, false);
              return null;
            }
            findings.outcome(what, true);
            // What a reader returns never comes from outside the record (through a link).
            if (inp.linked && JSON.stringify(v ?? null).includes(OUTSIDE)) broken(`record.${what}.follows-link`, "a reader returned the content of a file outside the record");
            return v ?? true;
          });
        const opened = await reading("open", () => openRun(work));
        if (opened !== null) {
          for (const k of ["best", "last"] as const) {
            await reading(`checkpoint-${k}`, async () => requireFits(await readCheckpoint(work, k), (opened as { spec: SpecIR }).spec));
          }
          if (rng.next() < 0.3) {
            const probs = await reading("predict", async () => {
              const p = await openPredictor(work, { buildModel });
              try {
                return (await p.predict(new Uint8Array(12 * 12).fill(128)))[0]!.probabilities;
              } finally {
                p.dispose();
              }
            });
            if (Array.isArray(probs) && !probs.every(Number.isFinite)) broken("record.predict.nan", `probabilities ${JSON.stringify(probs)}`);
          }
        }
        await reading("report", () => loadReportRun(work));
        await reading("sweep", () => readSweepState(path.join(work, "sweep")));
      } finally {
        // Put back, whole, each top-level entry that holds a damaged one.
        for (const top of new Set(inp.touched.map((rel) => rel.split(path.sep)[0]!))) {
          await fsp.rm(path.join(work, top), { recursive: true, force: true });
          await fsp.cp(path.join(pristine, top), path.join(work, top), { recursive: true });
        }
      }
    };
    return await campaign("record", opts, findings, next, examine, (i) => i.what.join("; "));
  } finally {
    await fsp.rm(root, { recursive: true, force: true });
  }
}
