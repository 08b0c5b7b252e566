/**
 * Running (or resuming) a sweep: settle what the run records already say, hand the unfinished
 * trials to an executor, track each trial's state in `sweep.yaml` as it changes, and write the
 * ranked `sweep.json` / `sweep.md` at the end (also after an interruption: partial results are
 * results).
 *
 * A trial is "completed" or "failed" only by its run record. A trial with a record that is not
 * finished (stopped by Ctrl-C, or left `running` by a kill) is resumed with `ferc run --resume`,
 * which continues from its last checkpoint; one without a record starts afresh.
 */
import { promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { ExecutorHooks, Stopper, TrialExit, TrialJob } from "./executor.js";
import { runLocal } from "./local.js";
import { applyEventLine, ProgressBoard, progressText, type ProgressStream, type TrialProgress } from "./progress.js";
import { findRunDir, readOutcome, type TrialOutcome } from "./record.js";
import { summarize, sweepMarkdown, wallText, type SweepSummary } from "./report.js";
import { activeTasks, runSlurm } from "./slurm.js";
import { currentOwner, unfinished, writeSweepState, type SweepState, type TrialState } from "./state.js";

/** dist/cli/main.js, from src/sweep or dist/sweep alike (both two levels below the package). */
export const FERC_CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/cli/main.js");

export interface ExecuteOptions {
  readonly stop: Stopper;
  /** Where progress goes (stderr): live lines on a TTY, state changes otherwise. */
  readonly progress: ProgressStream;
  readonly cli?: string;
  /** The total thread budget divided among local trials (default FERC_THREADS, else the cores). */
  readonly threads?: number;
}

export interface SweepResult {
  readonly exitCode: number;
  readonly summary: SweepSummary;
  readonly interrupted: boolean;
}

/** `--epochs 1 --limit 800 --augment ...` from the recorded run options. */
export function runFlags(run: SweepState["run"]): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(run)) {
    if (v === false) continue;
    out.push(`--${k}`, ...(v === true ? [] : [String(v)]));
  }
  return out;
}

export async function executeSweep(dir: string, s: SweepState, o: ExecuteOptions): Promise<SweepResult> {
  const absDir = path.resolve(dir);
  const cli = o.cli ?? FERC_CLI;
  const outcomes = new Map<string, TrialOutcome>();
  const trialDir = (t: TrialState) => path.join(absDir, "trials", t.id);

  // Writes are chained: two trials ending together must not race on sweep.yaml.
  let writing: Promise<void> = Promise.resolve();
  const save = (): Promise<void> => (writing = writing.then(() => writeSweepState(absDir, s)).catch(() => undefined));

  const settle = async (t: TrialState, exit?: TrialExit): Promise<void> => {
    const rd = await findRunDir(trialDir(t));
    if (rd) t.runDir = path.relative(absDir, rd);
    const outcome = rd ? await readOutcome(rd, s.rankedBy).catch(() => undefined) : undefined;
    if (outcome) outcomes.set(t.id, outcome);
    const st = outcome?.manifest.status;
    if (st === "completed") {
      t.status = "completed";
      delete t.message;
    } else if (st === "failed") {
      t.status = "failed";
      t.message = outcome?.manifest.message ?? outcome?.manifest.reason ?? "failed";
    } else if (exit === undefined) {
      // Settling before a (re)start: whatever was running when the last sweep ended is interrupted.
      if (t.status === "running") t.status = "interrupted";
    } else if (st === "stopped" || st === "running" || o.stop.signal.aborted || exit.signal || exit.state === "CANCELLED") {
      t.status = "interrupted";
      t.message = st === "stopped" ? "stopped; resume with ferc sweep --resume" : `ended without finishing its record${exit.state ? ` (Slurm ${exit.state})` : exit.signal ? ` (${exit.signal})` : ""}`;
    } else {
      t.status = "failed";
      t.message = `ferc run exited ${exit.code ?? "?"}${exit.state ? ` (Slurm ${exit.state})` : ""} without a run record; see ${path.relative(absDir, path.join(trialDir(t), s.executor === "slurm" ? "slurm.log" : "run.log"))}`;
    }
  };

  for (const t of s.trials) await settle(t);
  s.owner = currentOwner();
  await save();

  const todo = unfinished(s);
  const jobs: TrialJob[] = todo.map((t) => {
    const d = trialDir(t);
    const args = t.runDir
      ? ["run", "--resume", path.join(absDir, t.runDir), "--json"]
      : ["run", path.join(absDir, t.spec), "--runs-dir", path.join(d, "runs"), "--json", ...runFlags(s.run)];
    return { id: t.id, index: Number(t.id.slice(1)), dir: d, args };
  });
  const byId = new Map(s.trials.map((t) => [t.id, t]));
  const board = new ProgressBoard(o.progress);
  const progress = new Map<string, TrialProgress>();
  const label = (t: TrialState) => Object.entries(t.assignment).map(([k, v]) => `${k}=${v}`).join(" ");
  const skipped = s.trials.filter((t) => !todo.includes(t));
  if (skipped.length > 0) board.note(`skipping ${skipped.length} finished trial${skipped.length === 1 ? "" : "s"}: ${skipped.map((t) => `${t.id} (${t.status})`).join(", ")}`);
  for (const j of jobs) {
    const p: TrialProgress = { phase: "waiting" };
    progress.set(j.id, p);
    board.set(j.id, progressText(j.id, p, label(byId.get(j.id)!)));
  }

  const hooks: ExecutorHooks = {
    onStart(job) {
      const t = byId.get(job.id)!;
      t.status = "running";
      t.attempts += 1;
      const p = progress.get(job.id)!;
      p.phase = "loading";
      board.set(job.id, progressText(job.id, p, label(t)));
      if (!board.live) board.note(`${job.id} started: ${label(t)}${job.args.includes("--resume") ? " (resuming its run)" : ""}`);
      void save();
    },
    onQueued(job) {
      const p = progress.get(job.id)!;
      p.phase = "queued";
      board.set(job.id, progressText(job.id, p, label(byId.get(job.id)!)));
    },
    onLine(job, line) {
      const p = progress.get(job.id)!;
      const hadDir = p.runDir;
      const changed = applyEventLine(p, line);
      const t = byId.get(job.id)!;
      if (p.runDir && p.runDir !== hadDir && !t.runDir) {
        t.runDir = path.relative(absDir, path.resolve(p.runDir));
        void save();
      }
      board.set(job.id, progressText(job.id, p, label(t)));
      if (changed && !board.live && /"type":"epoch-end"/.test(line)) board.note(progressText(job.id, p, label(t)));
    },
    async onExit(job, exit) {
      const t = byId.get(job.id)!;
      t.wallMs += exit.wallMs;
      await settle(t, exit);
      const p = progress.get(job.id)!;
      p.phase = "done";
      p.status = t.status;
      const o2 = outcomes.get(t.id);
      if (o2?.valAcc !== undefined) p.valAcc = o2.valAcc;
      const line = `${progressText(job.id, p, label(t))}  (${wallText(t.wallMs)})${t.message && t.status !== "completed" ? `: ${t.message}` : ""}`;
      board.set(job.id, line);
      if (!board.live) board.note(line);
      await save();
    },
    onNote: (text) => board.note(text),
  };

  try {
    if (jobs.length > 0 && s.executor === "local") {
      const parallel = Math.max(1, Math.min(s.jobs ?? 1, jobs.length));
      const total = o.threads ?? (Number(process.env["FERC_THREADS"]) || os.availableParallelism());
      const threads = Math.max(1, Math.floor(total / parallel));
      board.note(`running ${jobs.length} trial${jobs.length === 1 ? "" : "s"} locally, ${parallel} at a time, ${threads} thread${threads === 1 ? "" : "s"} each`);
      await runLocal(jobs, { parallel, threads, cli, stop: o.stop, hooks });
    } else if (jobs.length > 0) {
      const slurm = s.slurm ?? { cpus: 1, extra: [] };
      await runSlurm(jobs, {
        slurm,
        sweepDir: absDir,
        name: s.id,
        cli,
        cwd: process.cwd(),
        stop: o.stop,
        hooks,
        onSubmitted: async (jobId) => {
          s.slurmJobs = [...(s.slurmJobs ?? []), jobId];
          await save();
        },
      });
    }
  } finally {
    // Also when an executor fails (sbatch refused, say): no trial is left "running", no owner.
    board.close();
    for (const t of s.trials) if (t.status === "running") t.status = "interrupted";
    delete s.owner;
    await save();
    await writing;
  }
  const summary = summarize(dir, s, outcomes);
  await fsp.writeFile(path.join(absDir, "sweep.json"), `${JSON.stringify(summary, null, 2)}\n`);
  await fsp.writeFile(path.join(absDir, "sweep.md"), sweepMarkdown(summary, s));
  const interrupted = o.stop.signal.aborted;
  const allDone = s.trials.every((t) => t.status === "completed");
  return { exitCode: interrupted ? 130 : allDone ? 0 : 1, summary, interrupted };
}

/** For `--resume` with Slurm: an array job of this sweep that still has tasks queued or running. */
export async function liveSlurmJob(s: SweepState): Promise<string | undefined> {
  for (const id of s.slurmJobs ?? []) if ((await activeTasks(id)).length > 0) return id;
  return undefined;
}
