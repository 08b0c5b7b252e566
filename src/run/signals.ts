/**
 * Ctrl-C handling for the CLI: the first SIGINT/SIGTERM asks the trainer to stop after the
 * current batch (it then checkpoints and writes the record); a second one means "now".
 */
export interface StopSignals {
  readonly signal: AbortSignal;
  /** Which signal arrived first, if any. */
  readonly received: () => NodeJS.Signals | null;
  dispose(): void;
}

export function stopOnSignals(onSecond: () => void = () => process.exit(130)): StopSignals {
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
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
