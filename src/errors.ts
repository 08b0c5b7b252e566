/**
 * The one base of ferc's errors. A thrown error says what kind of failure it is, and the kind
 * decides the exit code and how the CLI prints it: the CLI recognises ferc's errors one way
 * (`instanceof FercError`), never by class name or by a marker property.
 *
 * Diagnostics (src/diagnostics.ts) are the other channel: a spec's problems are data reported
 * all at once; a FercError stops the command at the first problem it cannot work around.
 */

/** What went wrong, from the caller's point of view. */
export type ErrorKind = "usage" | "input" | "spec" | "internal";

export interface ErrorKindInfo {
  readonly exitCode: number;
  /** How the CLI prints it (`CMD` is the command, `MESSAGE` the error's message). */
  readonly printed: string;
  readonly meaning: string;
}

/**
 * Each kind's exit code and form on stderr, in one table (README "Exit codes" reads the same
 * numbers: 0 ok, 1 errors in a spec or a failed run, 2 usage errors).
 */
export const ERROR_KINDS: Readonly<Record<ErrorKind, ErrorKindInfo>> = {
  usage: {
    exitCode: 2,
    printed: "ferc CMD: MESSAGE, then the command's usage line",
    meaning: "how ferc was called: a flag value out of range, a missing argument, a request the named record cannot serve",
  },
  input: {
    exitCode: 2,
    printed: "ferc CMD: MESSAGE",
    meaning: "a folder or record the command was pointed at cannot be used: a damaged run record, an unusable --runs-dir, a record another process holds",
  },
  spec: {
    exitCode: 1,
    printed: "ferc: MESSAGE",
    meaning: "the work the spec or record asks for failed: data or an image that cannot be read, a model the exporter cannot translate, a failed Slurm job, a damaged sweep",
  },
  internal: {
    exitCode: 1,
    printed: "ferc: internal error: STACK",
    meaning: "a bug in ferc (or a failure it has no words for): printed with its stack",
  },
};

/**
 * Every ferc error extends this. Subclasses keep their own names and messages (tests and users
 * match on them); they only declare their kind.
 */
export abstract class FercError extends Error {
  abstract readonly kind: ErrorKind;

  /** The process exit code the CLI ends with when this error stops a command. */
  get exitCode(): number {
    return ERROR_KINDS[this.kind].exitCode;
  }
}

export const isFercError = (err: unknown): err is FercError => err instanceof FercError;
