/**
 * The local executor: up to `parallel` trials at once, each `ferc run` as a child process with
 * `FERC_THREADS` set to its share of the cores (two trials each using every core would only
 * fight over them).
 *
 * Children get their own process group, so a Ctrl-C on the terminal reaches the sweep alone,
 * which then asks each running trial to stop exactly once (SIGINT: finish the batch, checkpoint,
 * write the record); a second Ctrl-C forwards a second SIGINT (stop now). Children are told to
 * stop by themselves should the sweep die without a word (FERC_STOP_WITH_PARENT, see
 * parentWatch.ts), so a killed sweep leaves no trial running that `--resume` would collide with.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import * as path from "node:path";
import type { ExecutorHooks, Stopper, TrialJob } from "./executor.js";
import { STOP_WITH_PARENT_ENV } from "./parentWatch.js";

export interface LocalOptions {
  readonly parallel: number;
  /** FERC_THREADS for each trial. */
  readonly threads: number;
  /** The ferc CLI script (dist/cli/main.js). */
  readonly cli: string;
  readonly stop: Stopper;
  readonly hooks: ExecutorHooks;
  readonly env?: NodeJS.ProcessEnv;
}

export async function runLocal(jobs: readonly TrialJob[], o: LocalOptions): Promise<void> {
  const queue = [...jobs];
  const running = new Map<TrialJob, ChildProcess>();
  const signalAll = () => {
    for (const child of running.values()) {
      try {
        child.kill("SIGINT");
      } catch {
        /* already gone */
      }
    }
  };
  o.stop.signal.addEventListener("abort", signalAll, { once: true });
  o.stop.force.addEventListener("abort", signalAll, { once: true });

  const runOne = (job: TrialJob): Promise<void> =>
    new Promise<void>((resolve) => {
      const started = Date.now();
      const log = createWriteStream(path.join(job.dir, "run.log"), { flags: "a" });
      const child = spawn(process.execPath, [o.cli, ...job.args], {
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, ...o.env, FERC_THREADS: String(o.threads), [STOP_WITH_PARENT_ENV]: "1" },
      });
      running.set(job, child);
      o.hooks.onStart(job);
      let buf = "";
      child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
        log.write(chunk);
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          o.hooks.onLine(job, buf.slice(0, nl));
          buf = buf.slice(nl + 1);
        }
      });
      child.stderr!.setEncoding("utf8").on("data", (chunk: string) => log.write(chunk));
      let settled = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null, error?: Error) => {
        if (settled) return;
        settled = true;
        running.delete(job);
        if (error) log.write(`ferc sweep: cannot start the trial: ${error.message}\n`);
        log.end(() => {
          void o.hooks.onExit(job, { code, signal, wallMs: Date.now() - started }).then(resolve, resolve);
        });
      };
      child.on("error", (err) => finish(null, null, err));
      child.on("close", (code, signal) => finish(code, signal));
    });

  const workers = Array.from({ length: Math.max(1, Math.min(o.parallel, queue.length)) }, async () => {
    while (queue.length > 0 && !o.stop.signal.aborted) await runOne(queue.shift()!);
  });
  await Promise.all(workers);
}
