/** Reading a spec file (`.fer` or `.fer.yaml`) and checking it, shared by the commands. */
import { constants } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { checkSource, type CheckResult } from "../check/index.js";
import { fileError, inFile, type Diagnostic } from "../diagnostics.js";
import { UsageError } from "./args.js";
import { fileKind } from "../util/fileKind.js";
import { sizeLimit } from "../syntax/limits.js";

export interface CheckedFile {
  readonly source: string;
  readonly result: CheckResult;
}

export const isYamlSpec = (file: string): boolean => /\.ya?ml$/i.test(file);

/** Checks text of either spelling; the YAML reader is loaded only for YAML files. */
export async function checkText(source: string, file: string): Promise<CheckResult> {
  const result = isYamlSpec(file) ? (await import("../check/any.js")).checkAny(source, file) : checkSource(source, file);
  // The checker works on text; the file is attached here, where it was read.
  return { ...result, diagnostics: inFile(result.diagnostics, file) };
}

/**
 * A spec file that cannot be read: its F0901 diagnostic, thrown as a usage error (exit 2, the
 * message on stderr as for any misnamed argument). A command with a machine-readable format
 * renders the diagnostic first (`ferc check --format json|github`).
 */
export class FileError extends UsageError {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/**
 * The file's text, or the diagnostic saying why there is none: F0901 when it cannot be read or
 * is not a regular file (a FIFO or /dev/zero would block or never end), F0904 when it is larger
 * than a spec may be (known from its size, before a byte of it is read).
 */
export async function readSpecFile(file: string): Promise<{ readonly source: string } | { readonly error: Diagnostic }> {
  let fh: FileHandle;
  try {
    // Non-blocking, so opening a FIFO returns at once and fstat can refuse it.
    fh = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" || code === "ENOTDIR" ? "no such file" : code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EISDIR" ? "it is a directory" : (code ?? "unreadable");
    return { error: fileError(file, `cannot read ${file}: ${why}`) };
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { error: fileError(file, `cannot read ${file}: it is ${fileKind(st)}, not a regular file`) };
    const tooLarge = sizeLimit(st.size, "bytes");
    if (tooLarge) return { error: { ...tooLarge, message: `cannot read ${file}: ${tooLarge.message}`, file } };
    return { source: await fh.readFile("utf8") };
  } catch (e) {
    return { error: fileError(file, `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? "unreadable"}`) };
  } finally {
    await fh.close();
  }
}

/** The file's text; an unreadable file is a FileError. */
export async function readSpecOrThrow(file: string): Promise<string> {
  const read = await readSpecFile(file);
  if ("error" in read) throw new FileError(read.error);
  return read.source;
}

/** Read and check; an unreadable file is a FileError. */
export async function checkFile(file: string): Promise<CheckedFile> {
  const source = await readSpecOrThrow(file);
  return { source, result: await checkText(source, file) };
}
