/**
 * A trial started by `ferc sweep` runs in its own process group (so a terminal Ctrl-C reaches
 * the sweep alone, which forwards it once). The price: if the sweep is killed outright, nothing
 * tells the trial. With FERC_STOP_WITH_PARENT=1, `ferc run` checks once a second whether its
 * parent is still the one that started it and, once orphaned, stops as on Ctrl-C (checkpoint,
 * record `stopped`), so `ferc sweep --resume` finds a resumable trial rather than a live one.
 */
export const STOP_WITH_PARENT_ENV = "FERC_STOP_WITH_PARENT";

/** Calls `stop` once the parent process is gone; returns the disposer. No-op unless asked for. */
export function stopWithParent(stop: (reason: string) => void, env: NodeJS.ProcessEnv = process.env, intervalMs = 1000): () => void {
  if (env[STOP_WITH_PARENT_ENV] !== "1") return () => {};
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) {
      clearInterval(timer);
      stop("the sweep that started this run has ended");
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
