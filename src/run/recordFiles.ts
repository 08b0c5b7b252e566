/**
 * Reading the files of a run record (for eval, predict and resume). Every read goes through
 * here, so a missing, unreadable or damaged file becomes one `RecordError` that names the file
 * and what is wrong with it (the CLI prints it and exits 2), instead of a stack trace from fs,
 * JSON.parse or tfjs. Nothing in this module writes.
 */
import { promises as fsp } from "node:fs";

/** A run record that cannot be used for what was asked: a file missing or damaged, or a refusal. */
export class RecordError extends Error {
  override readonly name = "RecordError";
  constructor(
    message: string,
    /** The record file at fault, when there is one. */
    readonly file?: string,
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
  return new RecordError(`${file} ${what}`, file);
}

export function damaged(file: string, why: string): RecordError {
  return new RecordError(`${file} is damaged: ${why}`, file);
}

export async function readRecordBytes(file: string): Promise<Buffer<ArrayBuffer>> {
  try {
    return await fsp.readFile(file);
  } catch (e) {
    throw fsProblem(file, e);
  }
}

export async function readRecordText(file: string): Promise<string> {
  return (await readRecordBytes(file)).toString("utf8");
}

/**
 * Parsed JSON of a record file; `check` returns what is wrong with the value (null when it is
 * fine), so a file of the right syntax but the wrong shape is reported as damaged too.
 */
export async function readRecordJson<T>(file: string, check: (v: unknown) => string | null): Promise<T> {
  const text = await readRecordText(file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw damaged(file, text.trim() === "" ? "empty" : `not valid JSON (${(e as Error).message})`);
  }
  const problem = check(value);
  if (problem !== null) throw damaged(file, problem);
  return value as T;
}

/** Shape checks for `check` callbacks, kept small and explicit. */
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
export const isPositiveInt = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;
export const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === "number");
