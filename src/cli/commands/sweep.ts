/** `ferc sweep`: flags → a new sweep (or `--resume`), run by the chosen executor, results printed. */
import * as path from "node:path";
import type { ParsedArgs } from "../args.js";
import { UsageError } from "../args.js";
import { hasErrors } from "../../diagnostics.js";
import type { SpecIR } from "../../ir.js";
import { checkAny, parseAny } from "../../check/any.js";
import { readSpecOrThrow } from "../load.js";
import { renderDiagnostics } from "../../render/diagnostics.js";
import { styleFor } from "../../render/style.js";
import type { Stopper } from "../../sweep/executor.js";
import type { SlurmOptions, SweepState } from "../../sweep/state.js";
import type { Lock } from "../../run/lock.js";
import { parseVaryFlag, type Variation } from "../../variation/values.js";

type Flags = ParsedArgs["flags"];

export const positiveInt = (flags: Flags, name: string): number | undefined => {
  const v = flags[name];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new UsageError(`--${name} must be a positive integer, got ${String(v)}`);
  return v;
};

export function slurmOptions(args: ParsedArgs, recorded?: SlurmOptions): SlurmOptions {
  const f = args.flags;
  const extra = args.lists?.["sbatch"] ?? recorded?.extra ?? [];
  const pick = (k: "partition" | "time" | "mem") => (f[k] !== undefined ? String(f[k]) : recorded?.[k]);
  const partition = pick("partition");
  const time = pick("time");
  const mem = pick("mem");
  return { cpus: positiveInt(f, "cpus") ?? recorded?.cpus ?? 1, extra, ...(partition ? { partition } : {}), ...(time ? { time } : {}), ...(mem ? { mem } : {}) };
}

/** First Ctrl-C/SIGTERM: stop gracefully; second: stop now. */
export function stopper(): Stopper & { dispose(): void } {
  const graceful = new AbortController();
  const force = new AbortController();
  const handler = (sig: NodeJS.Signals) => {
    if (!graceful.signal.aborted) {
      process.stderr.write(`ferc sweep: ${sig}: stopping the trials (again to stop at once)\n`);
      graceful.abort();
    } else force.abort();
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: graceful.signal,
    force: force.signal,
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}

export const FOR_SWEEP_ONLY_SLURM = ["partition", "time", "cpus", "mem"] as const;

export async function runSweep(args: ParsedArgs): Promise<number> {
  const f = args.flags;
  const resumeDir = f["resume"] as string | undefined;
  const file = args.positionals[0];
  if (resumeDir === undefined && file === undefined) throw new UsageError("missing FILE (or --resume SWEEP_DIR)");
  if (resumeDir !== undefined && file !== undefined) throw new UsageError("give either FILE or --resume SWEEP_DIR, not both");
  const jobs = positiveInt(f, "jobs");
  positiveInt(f, "epochs");
  positiveInt(f, "limit");
  const executor = f["executor"] as SweepState["executor"] | undefined;
  if (executor !== "slurm") {
    const stray = FOR_SWEEP_ONLY_SLURM.find((k) => f[k] !== undefined) ?? (args.lists?.["sbatch"]?.length ? "sbatch" : undefined);
    if (stray && !(resumeDir !== undefined && executor === undefined)) throw new UsageError(`--${stray} is for --executor slurm`);
  }
  if (executor === "slurm" && jobs !== undefined) throw new UsageError("--jobs is for --executor local (Slurm decides how many tasks run at once)");

  const { executeSweep, liveSlurmJob } = await import("../../sweep/execute.js");
  const { readSweepState, ownerAlive, writeSweepState } = await import("../../sweep/state.js");
  const { acquireLock } = await import("../../run/lock.js");
  let dir: string;
  let state: SweepState;
  let lock: Lock | undefined;
  if (resumeDir !== undefined) {
    for (const k of ["vary", "samples", "seed", "epochs", "limit", "data", "augment", "backend", "sweeps-dir"] as const) {
      if (f[k] !== undefined) throw new UsageError(`--${k} cannot change a sweep being resumed (its trials are fixed in sweep.yaml)`);
    }
    dir = resumeDir;
    try {
      state = await readSweepState(dir);
    } catch (err) {
      throw new UsageError(`cannot resume ${dir}: ${err instanceof Error ? err.message : String(err)}`);
    }
    // One process drives a sweep: the lock first, then sweep.yaml read again under it (another
    // resume may have changed it in between).
    lock = await acquireLock(dir, "ferc sweep --resume");
    try {
      state = await readSweepState(dir);
    } catch (err) {
      lock.release();
      throw new UsageError(`cannot resume ${dir}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const refuse = (message: string): never => {
      lock?.release();
      throw new UsageError(message);
    };
    // A sweep of a ferc without sweep locks records its driver only here.
    if (ownerAlive(state.owner)) refuse(`${dir} is being run by process ${state.owner!.pid}; stop it (Ctrl-C) before resuming`);
    if (executor) state.executor = executor;
    if (jobs !== undefined) state.jobs = jobs;
    if (state.executor === "slurm") {
      state.slurm = slurmOptions(args, state.slurm);
      const live = await liveSlurmJob(state);
      if (live) refuse(`array job ${live} of this sweep still has tasks queued or running: wait for it, or scancel ${live}, then resume`);
    }
  } else {
    const source = await readSpecOrThrow(file!);
    const { isEnsembleText } = await import("../../ensemble/detect.js");
    if (isEnsembleText(source)) throw new UsageError(`${file} is an ensemble file: ferc ensemble ${file} trains its spec members (as a sweep) and builds its record`);
    const checked = checkAny(source, file);
    if (!checked.ok || !checked.spec || hasErrors(checked.diagnostics)) {
      process.stderr.write(renderDiagnostics(checked.diagnostics, "text", { file: file!, source, style: styleFor(process.stderr) }));
      process.stderr.write(`ferc sweep: ${file} has errors; nothing was run\n`);
      return 1;
    }
    const spec = checked.spec;
    const variations: Variation[] = [];
    for (const v of args.lists?.["vary"] ?? []) {
      const parsed = parseVaryFlag(v);
      if (typeof parsed === "string") throw new UsageError(parsed);
      variations.push(parsed);
    }
    const samples = positiveInt(f, "samples");
    const seed = f["seed"] as number | undefined;
    if (seed !== undefined && (!Number.isInteger(seed) || seed < 0)) throw new UsageError(`--seed must be a non-negative integer, got ${seed}`);
    if (f["augment"] && !spec.augment.declared) throw new UsageError(`--augment: ${file} has no augment section`);
    const { planSweep } = await import("../../sweep/create.js");
    const planned = await planSweep({
      file: file!,
      document: parseAny(source, file).document,
      checked: checked as typeof checked & { spec: SpecIR },
      cliVariations: variations,
      ...(samples !== undefined ? { samples } : {}),
      ...(seed !== undefined ? { seed } : {}),
      executor: executor ?? "local",
      run: runOptions(f, file!, spec),
      sweepsDir: (f["sweeps-dir"] as string | undefined) ?? "sweeps",
    });
    if (!planned.ok) {
      for (const e of planned.errors) process.stderr.write(`ferc sweep: ${e}\n`);
      process.stderr.write("ferc sweep: nothing was run\n");
      // The spec's own sweep section passed `check`; what fails now comes from the flags.
      return variations.length > 0 || samples !== undefined ? 2 : 1;
    }
    dir = planned.dir;
    state = planned.state;
    lock = await acquireLock(dir, "ferc sweep");
    state.jobs = jobs ?? 1;
    if (state.executor === "slurm") state.slurm = slurmOptions(args);
    await writeSweepState(dir, state);
    process.stderr.write(`ferc sweep: ${state.trials.length} trial${state.trials.length === 1 ? "" : "s"} in ${dir}\n`);
  }

  const stop = stopper();
  try {
    const r = await executeSweep(dir, state, { stop, progress: process.stderr });
    const { sweepTable } = await import("../../sweep/report.js");
    if (f["json"]) process.stdout.write(`${JSON.stringify(r.summary)}\n`);
    else process.stdout.write(`${sweepTable(r.summary)}\n\n${path.join(dir, "sweep.md")}\n`);
    if (r.interrupted) process.stderr.write(`ferc sweep: interrupted; continue with: ferc sweep --resume ${dir}\n`);
    return r.exitCode;
  } finally {
    stop.dispose();
    lock.release();
  }
}

/** The `ferc run` options every trial gets; a relative data path is made absolute (trials run elsewhere). */
function runOptions(f: Flags, file: string, spec: SpecIR): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const k of ["epochs", "limit"] as const) if (f[k] !== undefined) out[k] = f[k] as number;
  const data = f["data"] as string | undefined;
  if (data !== undefined) out["data"] = data === "synthetic" ? data : path.resolve(data);
  else if (spec.dataset.source.kind !== "synthetic") out["data"] = path.resolve(path.dirname(file), spec.dataset.source.path);
  if (f["augment"]) out["augment"] = true;
  if (f["backend"] !== undefined) out["backend"] = String(f["backend"]);
  return out;
}
