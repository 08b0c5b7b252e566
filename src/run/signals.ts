/**
 * Ctrl-C handling for the CLI: the first SIGINT/SIGTERM asks the trainer to stop after the
 * current batch (it then checkpoints and writes the record); a second one means "now". Before a
 * forced exit, the hooks registered with `beforeForcedExit` run synchronously, so a run record
 * says `stopped (interrupted)` instead of staying `running` forever.
 */
export interface StopSignals {
  readonly signal: AbortSignal;
  /** Which signal arrived first, if any. */
  readonly received: () => NodeJS.Signals | null;
  /** Ask for the same graceful stop as a first Ctrl-C (e.g. when stdout has closed). */
  stop(reason: string): void;
  dispose(): void;
}

/** A hook may return what the user should know (printed on stderr after "stopped at once"). */
type LastWords = () => string | void;
const lastWords = new Set<LastWords>();

/** Register a synchronous hook for a forced exit (second Ctrl-C); returns the unregister. */
export function beforeForcedExit(fn: LastWords): () => void {
  lastWords.add(fn);
  return () => lastWords.delete(fn);
}

/**
 * Run the registered hooks, last registered first (what was set up last is undone first: the
 * record's final words are written before the lock taken before them is released), each failure
 * ignored (we are exiting anyway); say so, then exit.
 */
export function forcedExit(code: number): never {
  const notes: string[] = [];
  for (const fn of [...lastWords].reverse()) {
    try {
      const note = fn();
      if (note) notes.push(note);
    } catch {
      /* best effort: the checkpoints on disk are what resume relies on */
    }
  }
  process.stderr.write(`\nferc: stopped at once (second interrupt)${notes.length ? `; ${notes.join("; ")}` : ""}\n`);
  process.exit(code);
}

export function stopOnSignals(onSecond: () => void = () => forcedExit(130)): StopSignals {
  const ctl = new AbortController();
  let first: NodeJS.Signals | null = null;
  const handler = (sig: NodeJS.Signals): void => {
    if (first === null) {
      first = sig;
      ctl.abort(new Error(`received ${sig}`));
    } else onSecond();
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: ctl.signal,
    received: () => first,
    stop(reason) {
      if (!ctl.signal.aborted) ctl.abort(new Error(reason));
    },
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
