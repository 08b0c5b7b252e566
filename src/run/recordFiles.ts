/**
 * Reading the files of a run record (for eval, predict, resume, report and serve). Every read
 * goes through here, so a missing, unreadable or damaged file becomes one `RecordError` that
 * names the file and what is wrong with it (the CLI prints it and exits 2), instead of a stack
 * trace from fs, JSON.parse or tfjs. Nothing in this module writes.
 *
 * Records are committed and shared, so a record is untrusted input: a file in it is read only
 * when it is a regular file and not a symbolic link (a `classes.svg` linked to `/etc/shadow`
 * would otherwise be embedded in a report), never a FIFO or device (which would block or never
 * end), and never beyond a size cap. No error quotes what a file contains: it names the file,
 * the place (line, column, byte) and the kind of problem.
 */
import { constants, promises as fsp, type Stats } from "node:fs";
import { fileKind } from "../util/fileKind.js";
import { readHandle } from "../util/readHandle.js";
import { FercError } from "../errors.js";

/** The largest text or JSON file of a record that is read (run.yaml and report.json are a few KB). */
export const MAX_RECORD_TEXT_BYTES = 32 * 1024 * 1024;
/** The largest binary file (weights.bin, optimizer.bin): 512 MiB, a model of 128M float32 parameters. */
export const MAX_RECORD_BINARY_BYTES = 512 * 1024 * 1024;

/** A run record that cannot be used for what was asked: a file missing or damaged, or a refusal. */
export class RecordError extends FercError {
  override readonly name = "RecordError";
  readonly kind = "input";
  constructor(
    message: string,
    /** The record file at fault, when there is one. */
    readonly file?: string,
    /** The fs error code behind it (ENOENT for a missing file), when there is one. */
    readonly errno?: string,
  ) {
    super(message);
  }
}

/** The error for an fs failure on `file`, in words (ENOENT → "is missing"). */
export function fsProblem(file: string, e: unknown): RecordError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const what =
    code === "ENOENT" || code === "ENOTDIR"
      ? "is missing; the run record is incomplete"
      : code === "EISDIR"
        ? "is a directory, not a file"
        : code === "EACCES" || code === "EPERM"
          ? "cannot be read (permission denied)"
          : `cannot be read (${code ?? (e instanceof Error ? e.message : String(e))})`;
  return new RecordError(`${file} ${what}`, file, code);
}

/** True for the error of a file that is not there. */
export const isMissing = (e: unknown): boolean => e instanceof RecordError && (e.errno === "ENOENT" || e.errno === "ENOTDIR");

export function damaged(file: string, why: string): RecordError {
  return new RecordError(`${file} is damaged: ${why}`, file);
}

// O_NOFOLLOW refuses a symbolic link at the last path component (ELOOP) without a window between
// a check and the open; O_NONBLOCK keeps a FIFO from blocking the open. Both are 0 where absent.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

const mib = (n: number): string => `${Math.round(n / (1024 * 1024))} MiB`;

/**
 * The bytes of a record file that is a regular file (not a link), of at most `maxBytes`. Read
 * through the one descriptor that was checked, so the file cannot be swapped in between.
 */
export async function readRecordBytes(file: string, maxBytes = MAX_RECORD_BINARY_BYTES): Promise<Buffer<ArrayBuffer>> {
  if (constants.O_NOFOLLOW === undefined) await refuseLink(file);
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(file, OPEN_FLAGS);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ELOOP") throw linkError(file);
    throw fsProblem(file, e);
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new RecordError(`${file} is a directory, not a file`, file);
    if (!st.isFile()) throw new RecordError(`${file} is ${fileKind(st)}, not a regular file; a run record holds only regular files`, file);
    if (st.size > maxBytes) throw new RecordError(`${file} is ${mib(st.size)}, more than the ${mib(maxBytes)} a record file may have`, file);
    return await readHandle(fh, st.size);
  } catch (e) {
    if (e instanceof RecordError) throw e;
    throw fsProblem(file, e);
  } finally {
    await fh.close();
  }
}

function linkError(file: string): RecordError {
  return new RecordError(`${file} is a symbolic link; a run record's files must be regular files inside it (links are not followed)`, file);
}

async function refuseLink(file: string): Promise<void> {
  const st = await fsp.lstat(file).catch(() => null);
  if (st?.isSymbolicLink()) throw linkError(file);
}

/**
 * Whether `dir`, a directory inside a record (`checkpoints/`, `checkpoints/best/`), is there:
 * false when absent; a RecordError when it is a symbolic link or not a directory.
 */
export async function recordDirExists(dir: string): Promise<boolean> {
  let st: Stats;
  try {
    st = await fsp.lstat(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return false;
    throw fsProblem(dir, e);
  }
  if (st.isSymbolicLink()) throw linkError(dir);
  if (!st.isDirectory()) throw new RecordError(`${dir} is ${fileKind(st)}, not a directory`, dir);
  return true;
}

export async function readRecordText(file: string, maxBytes = MAX_RECORD_TEXT_BYTES): Promise<string> {
  return (await readRecordBytes(file, maxBytes)).toString("utf8");
}

/** Where JSON.parse stopped, as "line L, column C", from the offset its message gives (if any). */
function jsonPlace(text: string, e: unknown): string {
  const m = /at position (\d+)/.exec(e instanceof Error ? e.message : "");
  if (!m) return "";
  const at = Math.min(Number(m[1]), text.length);
  let line = 1, lineStart = 0;
  for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) { line++; lineStart = i + 1; }
  return ` at line ${line}, column ${at - lineStart + 1}`;
}

/**
 * Parsed JSON of a record file; `check` returns what is wrong with the value (null when it is
 * fine), so a file of the right syntax but the wrong shape is reported as damaged too. A syntax
 * error is reported by place only: V8's message quotes the text.
 */
export async function readRecordJson<T>(file: string, check: (v: unknown) => string | null, maxBytes = MAX_RECORD_TEXT_BYTES): Promise<T> {
  const text = await readRecordText(file, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw damaged(file, text.trim() === "" ? "empty" : `not valid JSON${jsonPlace(text, e)}`);
  }
  const problem = check(value);
  if (problem !== null) throw damaged(file, problem);
  return value as T;
}

/** Shape checks for `check` callbacks, kept small and explicit. */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
export const isPositiveInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;
export const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === "number");
