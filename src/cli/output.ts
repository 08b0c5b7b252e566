/**
 * A closed stdout (the reader of a pipe went away: `ferc check specs/*.fer | head -1`) is not a
 * failure of ferc's. Node ignores SIGPIPE and reports the closed pipe as an asynchronous EPIPE
 * 'error' event on the stream, which kills the process with a stack trace when nobody listens.
 * `guardOutput` listens: later output is dropped, and whoever registered with `onOutputClosed`
 * is told once (`ferc run` then stops the way Ctrl-C does, so its record ends consistent).
 */

let closed = false;
const listeners = new Set<() => void>();

/** Install once, before any output. */
export function guardOutput(stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr): void {
  stdout.on("error", () => {
    // EPIPE, or ERR_STREAM_DESTROYED for writes after it: either way nobody reads any more.
    if (closed) return;
    closed = true;
    for (const l of [...listeners]) l();
  });
  // A closed stderr leaves nowhere to report anything; that alone must not end a run.
  stderr.on("error", () => undefined);
}

export function outputClosed(): boolean {
  return closed;
}

/** Calls `fn` once when stdout closes (at once if it already has); returns the unsubscribe. */
export function onOutputClosed(fn: () => void): () => void {
  if (closed) {
    fn();
    return () => undefined;
  }
  listeners.add(fn);
  return () => listeners.delete(fn);
}
