/**
 * The Slurm executor: the trials become one array job (`sbatch`, `#SBATCH --array=1,2,...`, the
 * task index is the trial number), each task running one `ferc run` with FERC_THREADS set to its
 * CPUs. Status comes from the scheduler: `squeue` while tasks are queued or running, then
 * `scontrol show job` for a task that has left the queue (and `sacct` where accounting is
 * configured and scontrol has forgotten it). Each task's output goes to `trials/tN/slurm.log`,
 * which is also read for progress. A first Ctrl-C cancels the array (`scancel`: Slurm sends the
 * tasks SIGTERM, so each trial checkpoints and records itself as stopped) and waits for the
 * tasks to leave; a second one stops waiting.
 */
import { execFile } from "node:child_process";
import { promises as fsp } from "node:fs";
import * as path from "node:path";
import type { ExecutorHooks, Stopper, TrialJob } from "./executor.js";
import type { SlurmOptions } from "./state.js";
import { makeDirs } from "../util/mkdirs.js";
import { FercError } from "../errors.js";

export interface SlurmRunOptions {
  readonly slurm: SlurmOptions;
  readonly sweepDir: string;
  readonly name: string;
  readonly cli: string;
  readonly cwd: string;
  readonly stop: Stopper;
  readonly hooks: ExecutorHooks;
  readonly onSubmitted: (jobId: string) => Promise<void>;
  readonly pollMs?: number;
}

export class SlurmError extends FercError {
  readonly kind = "spec";
}

interface CmdResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

export function sh(cmd: string, args: readonly string[], timeoutMs = 30_000): Promise<CmdResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, encoding: "utf8" }, (err, stdout, stderr) => {
      resolve({ ok: !err, stdout: String(stdout), stderr: err && !stderr ? err.message : String(stderr) });
    });
  });
}

/** `sinfo` answers: a controller is reachable (the Slurm test's precondition). */
export async function slurmAnswers(): Promise<boolean> {
  const r = await sh("sinfo", ["-h", "-o", "%T"], 10_000);
  return r.ok;
}

/** Shell-quote for the generated batch script. */
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The array script: options as #SBATCH lines (so it can be resubmitted by hand), one case per trial. */
export function arrayScript(jobs: readonly TrialJob[], o: Pick<SlurmRunOptions, "slurm" | "sweepDir" | "name" | "cli" | "cwd">): string {
  const s = o.slurm;
  const trials = path.resolve(o.sweepDir, "trials");
  const lines = [
    "#!/bin/bash",
    `# ferc sweep ${o.name}: one array task per trial (task index = trial number). Written by ferc sweep.`,
    `#SBATCH --job-name=${`ferc-${o.name}`.slice(0, 64)}`,
    `#SBATCH --array=${jobs.map((j) => j.index).join(",")}`,
    `#SBATCH --output=${trials}/t%a/slurm.log`,
    "#SBATCH --open-mode=append",
    `#SBATCH --cpus-per-task=${s.cpus}`,
    ...(s.partition ? [`#SBATCH --partition=${s.partition}`] : []),
    ...(s.time ? [`#SBATCH --time=${s.time}`] : []),
    ...(s.mem ? [`#SBATCH --mem=${s.mem}`] : []),
    ...s.extra.map((x) => `#SBATCH ${x}`),
    "set -u",
    'case "$SLURM_ARRAY_TASK_ID" in',
    ...jobs.map((j) => `  ${j.index}) set -- ${j.args.map(q).join(" ")} ;;`),
    '  *) echo "ferc sweep: no trial for array task $SLURM_ARRAY_TASK_ID" >&2; exit 2 ;;',
    "esac",
    'export FERC_THREADS="${SLURM_CPUS_PER_TASK:-1}"',
    `cd ${q(o.cwd)}`,
    `exec ${q(process.execPath)} ${q(o.cli)} "$@"`,
    "",
  ];
  return lines.join("\n");
}

/** `--parsable` prints `jobid` or `jobid;cluster`. */
export function parseSbatch(stdout: string): string | undefined {
  const m = /^(\d+)(;\S+)?\s*$/m.exec(stdout.trim());
  return m?.[1];
}

/** `squeue -h -r -o "%i %T"` lines `123_4 RUNNING` → task 4 → RUNNING. */
export function parseSqueue(stdout: string, jobId: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of stdout.split("\n")) {
    const m = /^(\d+)_(\d+)\s+(\S+)/.exec(line.trim());
    if (m && m[1] === jobId) out.set(Number(m[2]), m[3]!);
  }
  return out;
}

/** `scontrol show job -o` → JobState and ExitCode of the record. */
export function parseScontrol(stdout: string): { state?: string; exitCode?: number } {
  const state = /\bJobState=(\S+)/.exec(stdout)?.[1];
  const code = /\bExitCode=(\d+):\d+/.exec(stdout)?.[1];
  return { ...(state ? { state } : {}), ...(code !== undefined ? { exitCode: Number(code) } : {}) };
}

const ACTIVE = new Set(["PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED", "REQUEUED", "RESIZING", "STAGE_OUT", "SIGNALING"]);

/** Tasks of `jobId` still in the queue (for `--resume`'s "still running" check). */
export async function activeTasks(jobId: string): Promise<number[]> {
  const r = await sh("squeue", ["-h", "-r", "-j", jobId, "-o", "%i %T"]);
  return r.ok ? [...parseSqueue(r.stdout, jobId).keys()] : [];
}

async function finalState(jobId: string, index: number): Promise<{ state?: string; exitCode?: number }> {
  const sc = await sh("scontrol", ["show", "job", "-o", `${jobId}_${index}`]);
  if (sc.ok) {
    const p = parseScontrol(sc.stdout);
    if (p.state) return p;
  }
  // scontrol forgets finished jobs after MinJobAge; accounting remembers, where configured.
  const sa = await sh("sacct", ["-n", "-P", "-X", "-j", `${jobId}_${index}`, "-o", "State,ExitCode"]);
  const m = sa.ok ? /^(\S+?)(?: by \d+)?\|(\d+):\d+/m.exec(sa.stdout.trim()) : null;
  return m ? { state: m[1]!, exitCode: Number(m[2]) } : {};
}

export async function runSlurm(jobs: readonly TrialJob[], o: SlurmRunOptions): Promise<void> {
  if (jobs.length === 0) return;
  const slurmDir = path.join(o.sweepDir, "slurm");
  await makeDirs(slurmDir);
  const existing = (await fsp.readdir(slurmDir)).filter((f) => /^array-\d+\.sh$/.test(f)).length;
  const script = path.join(slurmDir, `array-${existing + 1}.sh`);
  await fsp.writeFile(script, arrayScript(jobs, o), { mode: 0o755 });
  const sub = await sh("sbatch", ["--parsable", script]);
  const jobId = sub.ok ? parseSbatch(sub.stdout) : undefined;
  if (!jobId) {
    const why = (sub.stderr || sub.stdout).trim() || "no job id printed";
    const hint = /ENOENT/.test(why) ? "; no sbatch on PATH: the slurm executor needs a Slurm client (npm run slurm:local starts a cluster on this machine)" : "";
    throw new SlurmError(`sbatch ${script} failed: ${why}${hint}; nothing was submitted (ferc sweep --resume ${o.sweepDir} retries)`);
  }
  await o.onSubmitted(jobId);
  o.hooks.onNote?.(`submitted array job ${jobId} (${jobs.length} task${jobs.length === 1 ? "" : "s"}: ${jobs.map((j) => j.id).join(", ")}); squeue -j ${jobId}`);

  const pollMs = o.pollMs ?? Number(process.env["FERC_SLURM_POLL_MS"] ?? 2000);
  const pending = new Map(jobs.map((j) => [j.index, j]));
  const started = new Map<number, number>();
  const queued = new Set<number>();
  const logOffsets = new Map<number, number>();
  let cancelled = false;
  const cancel = async () => {
    if (cancelled) return;
    cancelled = true;
    const r = await sh("scancel", [jobId]);
    o.hooks.onNote?.(r.ok ? `scancel ${jobId}: cancelling the array (trials checkpoint and stop)` : `scancel ${jobId} failed: ${r.stderr.trim()}`);
  };
  o.stop.signal.addEventListener("abort", () => void cancel(), { once: true });

  const readLog = async (job: TrialJob) => {
    const file = path.join(job.dir, "slurm.log");
    let fh;
    try {
      fh = await fsp.open(file, "r");
    } catch {
      return;
    }
    try {
      const from = logOffsets.get(job.index) ?? 0;
      const { size } = await fh.stat();
      if (size <= from) return;
      const buf = Buffer.alloc(size - from);
      await fh.read(buf, 0, buf.length, from);
      const text = buf.toString("utf8");
      const end = text.lastIndexOf("\n");
      if (end < 0) return;
      logOffsets.set(job.index, from + Buffer.byteLength(text.slice(0, end + 1)));
      for (const line of text.slice(0, end).split("\n")) o.hooks.onLine(job, line);
    } finally {
      await fh.close();
    }
  };

  while (pending.size > 0) {
    if (o.stop.force.aborted) return;
    const sq = await sh("squeue", ["-h", "-r", "-j", jobId, "-o", "%i %T"]);
    const states = sq.ok ? parseSqueue(sq.stdout, jobId) : new Map<number, string>();
    for (const [index, job] of [...pending]) {
      await readLog(job);
      let state = states.get(index);
      let exitCode: number | undefined;
      if (state === undefined) {
        const f = await finalState(jobId, index);
        state = f.state;
        exitCode = f.exitCode;
        // Not in the queue and unknown to scontrol/sacct: a pending task of an array not yet
        // split shows under the array's own id; anything else has finished and been forgotten.
        if (state === undefined && !sq.ok) continue;
      }
      if (state !== undefined && ACTIVE.has(state.replace(/\+$/, ""))) {
        if (state === "PENDING") {
          if (!queued.has(index)) {
            queued.add(index);
            o.hooks.onQueued?.(job);
          }
        } else if (!started.has(index)) {
          started.set(index, Date.now());
          o.hooks.onStart(job);
        }
        continue;
      }
      pending.delete(index);
      if (!started.has(index)) {
        started.set(index, Date.now());
        o.hooks.onStart(job);
      }
      await readLog(job);
      await o.hooks.onExit(job, { code: exitCode ?? null, ...(state ? { state } : {}), wallMs: Date.now() - started.get(index)! });
    }
    if (pending.size > 0) await sleep(pollMs, o.stop.force);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
