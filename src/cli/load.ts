/** Reading a spec file (`.fer` or `.fer.yaml`) and checking it, shared by the commands. */
import { readFile } from "node:fs/promises";
import { checkSource, type CheckResult } from "../check/index.js";
import { fileError, inFile, type Diagnostic } from "../diagnostics.js";
import { UsageError } from "./args.js";

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

/** The file's text, or the F0901 diagnostic saying why there is none. */
export async function readSpecFile(file: string): Promise<{ readonly source: string } | { readonly error: Diagnostic }> {
  try {
    return { source: await readFile(file, "utf8") };
  } catch {
    return { error: fileError(file, `cannot read ${file}: no such file`) };
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
