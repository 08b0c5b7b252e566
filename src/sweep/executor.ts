/** What an executor is given (one `ferc` command line per trial) and what it reports back. */

export interface TrialJob {
  readonly id: string;
  /** The trial's number: `t3` is 3 (also its Slurm array index). */
  readonly index: number;
  /** Absolute path of the trial's directory (`<sweep>/trials/t3`). */
  readonly dir: string;
  /** Arguments after the ferc executable: `run <spec> --runs-dir ... --json ...` or `run --resume <dir> --json`. */
  readonly args: readonly string[];
}

export interface TrialExit {
  /** Exit status of `ferc run` when known (the run record says more). */
  readonly code: number | null;
  readonly signal?: string | null;
  /** The scheduler's final state (Slurm), e.g. COMPLETED, FAILED, CANCELLED, TIMEOUT. */
  readonly state?: string;
  readonly wallMs: number;
}

export interface ExecutorHooks {
  /** The trial's process started (locally) or its task began running (Slurm). */
  onStart(job: TrialJob): void;
  /** Queued in the scheduler, not running yet (Slurm). */
  onQueued?(job: TrialJob): void;
  /** One line of `ferc run --json` output. */
  onLine(job: TrialJob, line: string): void;
  onExit(job: TrialJob, exit: TrialExit): Promise<void>;
  /** A one-off message for the user (scheduler commands, cancellation). */
  onNote?(text: string): void;
}

export interface Stopper {
  /** Aborted on the first Ctrl-C/SIGTERM: stop gracefully (trials checkpoint). */
  readonly signal: AbortSignal;
  /** Aborted on the second: stop now. */
  readonly force: AbortSignal;
}
