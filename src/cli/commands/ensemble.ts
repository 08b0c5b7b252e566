/**
 * `ferc ensemble`: an ensemble record from an ensemble file (training its spec members first, as
 * one sweep, locally or on Slurm) or from run records named on the command line; `--resume` of
 * the members' sweep finishes both. The record is built by src/ensemble/build.ts.
 */
import { promises as fsp } from "node:fs";
import * as path from "node:path";
import type { ParsedArgs } from "../args.js";
import { UsageError } from "../args.js";
import { renderDiagnostics } from "../../render/diagnostics.js";
import { styleFor } from "../../render/style.js";
import type { EnsembleManifest } from "../../ensemble/record.js";
import type { SelectionMethod } from "../../ensemble/select.js";
import type { SweepState } from "../../sweep/state.js";
import { formatCount } from "../table.js";
import { FOR_SWEEP_ONLY_SLURM, positiveInt, slurmOptions, stopper } from "./sweep.js";
import { prepareTfjs } from "../tfjs.js";

type Flags = ParsedArgs["flags"];

const say = (text: string): void => void process.stderr.write(`ferc ensemble: ${text}\n`);
const isDir = (p: string): Promise<boolean> => fsp.stat(p).then((s) => s.isDirectory(), () => false);

/** What to build: the members' records and what the record says it came from. */
interface Plan {
  readonly name: string;
  readonly dirs: readonly string[];
  readonly source: string | ((recordDir: string, members: readonly string[]) => string);
  readonly file?: string;
  readonly sweep?: string;
  readonly runsDir: string;
}

/** Flags only training uses: refused where nothing is trained. */
const TRAINING_FLAGS = ["augment", "epochs", "limit", "executor", "jobs", "sweeps-dir", ...FOR_SWEEP_ONLY_SLURM] as const;

function refuseTrainingFlags(f: Flags, args: ParsedArgs, why: string): void {
  const stray = TRAINING_FLAGS.find((k) => f[k] !== undefined) ?? (args.lists?.["sbatch"]?.length ? "sbatch" : undefined);
  if (stray) throw new UsageError(`--${stray} is for training spec members; ${why}`);
}

export async function runEnsemble(args: ParsedArgs): Promise<number> {
  const f = args.flags;
  const resume = f["resume"] as string | undefined;
  const given = args.positionals;
  if (resume === undefined && given.length === 0) throw new UsageError("missing FILE or RUN_DIR... (or --resume SWEEP_DIR)");
  if (resume !== undefined && given.length > 0) throw new UsageError("give either FILE / RUN_DIR... or --resume SWEEP_DIR, not both");
  const runsDir = (f["runs-dir"] as string | undefined) ?? "runs";
  let plan: Plan | number;
  if (resume !== undefined) plan = await resumePlan(resume, args);
  else if (given.length === 1 && !(await isDir(given[0]!))) plan = await filePlan(given[0]!, args, runsDir);
  else plan = await recordsPlan(given, args, runsDir);
  if (typeof plan === "number") return plan;
  return build(plan, f);
}

/** Members named on the command line: records only. */
async function recordsPlan(dirs: readonly string[], args: ParsedArgs, runsDir: string): Promise<Plan> {
  refuseTrainingFlags(args.flags, args, "these members are run records, already trained");
  // A member that is not a record is reported with every other problem when the members are opened.
  let name = args.flags["name"] as string | undefined;
  if (name === undefined) {
    const { readManifest } = await import("../../run/manifest.js");
    name = `${(await readManifest(dirs[0]!).catch(() => ({ spec: "members" }))).spec}-ensemble`;
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new UsageError(`--name must be a word of letters, digits, ., _ and - (it names the record's directory), got ${JSON.stringify(name)}`);
  const ensembleName = name;
  const selecting = args.flags["select"] !== undefined;
  const runLine = (recordDir: string, d: string): string => `run ${JSON.stringify(path.relative(recordDir, path.resolve(d)))}`;
  const source = (recordDir: string, members: readonly string[]): string =>
    [
      selecting
        ? `# written by ferc ensemble: the members it chose with --select ${String(args.flags["select"])} on the validation split among the ${dirs.length} run records named on its command line:\n${dirs.map((d) => `#   ${runLine(recordDir, d)}`).join("\n")}`
        : `# written by ferc ensemble from the run records named on its command line`,
      `ensemble ${ensembleName}`,
      "members {",
      ...members.map((d) => `  ${runLine(recordDir, d)}`),
      "}",
      "",
    ].join("\n");
  return { name: ensembleName, dirs, source, runsDir };
}

/** An ensemble file: checked, its spec members trained as a sweep, then built. */
async function filePlan(file: string, args: ParsedArgs, runsDir: string): Promise<Plan | number> {
  const f = args.flags;
  if (f["name"] !== undefined) throw new UsageError("--name is for members named on the command line; an ensemble file names itself (ensemble NAME)");
  const { readSpecOrThrow } = await import("../load.js");
  const source = await readSpecOrThrow(file);
  const { checkEnsembleFile, isEnsembleText } = await import("../../ensemble/file.js");
  if (!isEnsembleText(source)) throw new UsageError(`${file} is a spec, not an ensemble file (one that starts with: ensemble NAME); ferc run trains a spec`);
  const c = await checkEnsembleFile(source, file);
  const errors = c.diagnostics.filter((d) => d.severity === "error");
  if (c.diagnostics.length > 0) process.stderr.write(renderDiagnostics(c.diagnostics, "text", { file, source, style: styleFor(process.stderr) }));
  if (errors.length > 0 || !c.ir) {
    say(`${file} has errors; nothing was trained or built`);
    return 1;
  }
  const toTrain = c.members.filter((m) => m.kind === "spec");
  if (toTrain.length === 0) {
    refuseTrainingFlags(f, args, `${file} names only trained run records`);
    return { name: c.ir.name, dirs: c.members.map((m) => m.path), source, file, runsDir };
  }
  const { planMemberSweep, specMembersData } = await import("../../ensemble/train.js");
  const executor = (f["executor"] as SweepState["executor"] | undefined) ?? "local";
  const jobs = positiveInt(f, "jobs");
  positiveInt(f, "epochs");
  positiveInt(f, "limit");
  if (executor !== "slurm") {
    const stray = FOR_SWEEP_ONLY_SLURM.find((k) => f[k] !== undefined) ?? (args.lists?.["sbatch"]?.length ? "sbatch" : undefined);
    if (stray) throw new UsageError(`--${stray} is for --executor slurm`);
  }
  if (executor === "slurm" && jobs !== undefined) throw new UsageError("--jobs is for --executor local (Slurm decides how many tasks run at once)");
  if (f["augment"]) {
    const plain = toTrain.find((m) => !m.spec.augment.declared);
    if (plain) throw new UsageError(`--augment: ${plain.written} has no augment section`);
  }
  const run: Record<string, string | number | boolean> = {};
  for (const k of ["epochs", "limit"] as const) if (f[k] !== undefined) run[k] = f[k] as number;
  const data = f["data"] as string | undefined;
  if (data !== undefined) run["data"] = data === "synthetic" ? data : path.resolve(data);
  else {
    const shared = specMembersData(c.members);
    if ("problem" in shared) throw new UsageError(shared.problem);
    if (shared.data !== undefined) run["data"] = shared.data;
  }
  if (f["augment"]) run["augment"] = true;
  if (f["backend"] !== undefined) run["backend"] = String(f["backend"]);
  const planned = await planMemberSweep(c as typeof c & { ir: NonNullable<typeof c.ir> }, { sweepsDir: (f["sweeps-dir"] as string | undefined) ?? "sweeps", runsDir, executor, run });
  planned.state.jobs = jobs ?? 1;
  if (executor === "slurm") planned.state.slurm = slurmOptions(args);
  const { writeSweepState } = await import("../../sweep/state.js");
  await writeSweepState(planned.dir, planned.state);
  say(`training ${toTrain.length} member${toTrain.length === 1 ? "" : "s"} as sweep ${planned.dir} (${executor}); the ${c.members.length - toTrain.length} run member${c.members.length - toTrain.length === 1 ? " is" : "s are"} used as recorded`);
  return trainThenPlan(planned.dir, planned.state);
}

/** `--resume SWEEP_DIR`: the members' sweep continued, then the record built. */
async function resumePlan(dir: string, args: ParsedArgs): Promise<Plan | number> {
  const f = args.flags;
  if (f["name"] !== undefined) throw new UsageError("--name cannot change an ensemble being resumed (its sweep.yaml names it)");
  for (const k of ["augment", "epochs", "limit", "sweeps-dir", "runs-dir"] as const) if (f[k] !== undefined) throw new UsageError(`--${k} cannot change an ensemble being resumed (its members' sweep fixed it)`);
  const { readSweepState, ownerAlive } = await import("../../sweep/state.js");
  let state: SweepState;
  try {
    state = await readSweepState(dir);
  } catch (err) {
    throw new UsageError(`cannot resume ${dir}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!state.ensemble) throw new UsageError(`${dir} is a sweep, not an ensemble's members (ferc sweep --resume ${dir} continues it)`);
  if (ownerAlive(state.owner)) throw new UsageError(`${dir} is being run by process ${state.owner!.pid}; stop it (Ctrl-C) before resuming`);
  const executor = f["executor"] as SweepState["executor"] | undefined;
  if (executor) state.executor = executor;
  const jobs = positiveInt(f, "jobs");
  if (jobs !== undefined) state.jobs = jobs;
  if (state.executor === "slurm") {
    state.slurm = slurmOptions(args, state.slurm);
    const { liveSlurmJob } = await import("../../sweep/execute.js");
    const live = await liveSlurmJob(state);
    if (live) throw new UsageError(`array job ${live} of this sweep still has tasks queued or running: wait for it, or scancel ${live}, then resume`);
  }
  return trainThenPlan(dir, state);
}

/** Run (or finish) the members' sweep; the plan once every member has a completed record. */
async function trainThenPlan(dir: string, state: SweepState): Promise<Plan | number> {
  const { executeSweep } = await import("../../sweep/execute.js");
  const { memberDirs } = await import("../../ensemble/train.js");
  const stop = stopper();
  try {
    const r = await executeSweep(dir, state, { stop, progress: process.stderr });
    if (r.interrupted) {
      say(`interrupted; continue with: ferc ensemble --resume ${dir}`);
      return 130;
    }
  } finally {
    stop.dispose();
  }
  const e = state.ensemble!;
  const found = memberDirs(dir, state);
  if ("unfinished" in found) {
    say(`not every member trained, so no ensemble record was written:\n  ${found.unfinished.join("\n  ")}\nsee ${path.join(dir, "sweep.md")}; ferc ensemble --resume ${dir} retries what is left`);
    return 1;
  }
  return { name: e.name, dirs: found.dirs, source: e.source, file: e.file, sweep: dir, runsDir: e.runsDir };
}

/** Evaluate the members and write the record. */
async function build(plan: Plan, f: Flags): Promise<number> {
  const { readManifest } = await import("../../run/manifest.js");
  const { recordedSourcePath, datasetLoader } = await import("../../run/index.js");
  const { buildEnsemble } = await import("../../ensemble/build.js");
  // The data: --data, else where the first member's run read it (found from anywhere).
  const given = f["data"] as string | undefined;
  let dataPath = given;
  if (dataPath === undefined) {
    const first = plan.dirs[0]!;
    // An unreadable first member is reported with the others' problems when the members are opened.
    const m = await readManifest(first).catch(() => undefined);
    try {
      if (m) dataPath = recordedSourcePath(first, m);
    } catch (err) {
      throw new UsageError(`${first}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const { backend, buildModel } = await prepareTfjs(f["backend"] as string | undefined);
  say(`${plan.dirs.length} member${plan.dirs.length === 1 ? "" : "s"}: ${plan.dirs.join(", ")}`);
  const built = await buildEnsemble({
    name: plan.name,
    members: plan.dirs,
    ...(f["select"] !== undefined ? { select: f["select"] as SelectionMethod } : {}),
    runsDir: plan.runsDir,
    source: plan.source,
    ...(plan.file !== undefined ? { file: plan.file } : {}),
    ...(plan.sweep !== undefined ? { sweep: plan.sweep } : {}),
    buildModel,
    loadDataset: datasetLoader(dataPath !== undefined ? { path: dataPath } : {}),
    ...(dataPath !== undefined && dataPath !== "synthetic" ? { dataSource: path.resolve(dataPath) } : {}),
    backend,
    onProgress: say,
  });
  for (const w of built.warnings) say(`note: ${w}`);
  if (f["json"]) {
    process.stdout.write(`${JSON.stringify({ dir: built.dir, ...built.manifest })}\n`);
    return 0;
  }
  process.stdout.write(`${ensembleSummary(built.manifest, built.dir)}\n`);
  return 0;
}

const pct = (v: number | undefined): string => (v === undefined ? "–" : `${(v * 100).toFixed(2)}%`);

/** The record's members and figures, for the terminal. */
export function ensembleSummary(m: EnsembleManifest, dir: string): string {
  const valName = m.val?.split ?? "val", testName = m.test?.split ?? "test";
  const head = ["#", "member", "params", valName, testName];
  const body = m.members.map((x, i) => [String(i + 1), `${x.runId}${x.status === "completed" ? "" : ` (${x.status})`}`, formatCount(x.params), pct(x.val?.acc), pct(x.test?.acc)]);
  body.push(["", `ensemble (mean of ${m.members.length})`, formatCount(m.totals.params), pct(m.val?.acc), `${pct(m.test?.acc)}${m.test ? ` (n=${formatCount(m.test.n)})` : ""}`]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  const out = [`${m.name} → ${dir}`];
  if (m.selection) {
    const s = m.selection;
    out.push(`chosen on ${valName} (${s.method}, ${s.monitor}) among ${s.candidates.length} candidates: ${s.steps.map((st, i) => `${i === 0 ? "" : "+ "}${st.added} ${pct(st.val.acc)}${s.monitor === "val.loss" ? ` (loss ${st.val.loss.toFixed(4)})` : ""}`).join(" → ")}; ${s.steps.length === s.candidates.length ? "each candidate improved it" : "no other candidate improved it"}`);
  }
  out.push(line(head), ...body.map(line), `(members alone for comparison; the test split was evaluated once, choosing nothing)`);
  return out.join("\n");
}
