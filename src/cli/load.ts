/** Reading a spec file (`.fer` or `.fer.yaml`) and checking it, shared by the commands. */
import { readFile } from "node:fs/promises";
import { checkSource, type CheckResult } from "../check/index.js";

export interface CheckedFile {
  readonly source: string;
  readonly result: CheckResult;
}

export const isYamlSpec = (file: string): boolean => /\.ya?ml$/i.test(file);

/** Checks text of either spelling; the YAML reader is loaded only for YAML files. */
export async function checkText(source: string, file: string): Promise<CheckResult> {
  if (!isYamlSpec(file)) return checkSource(source, file);
  const { checkAny } = await import("../check/any.js");
  return checkAny(source, file);
}

/** undefined when the file cannot be read (the caller reports it as a usage error). */
export async function checkFile(file: string): Promise<CheckedFile | undefined> {
  let source: string;
  try {
    source = await readFile(file, "utf8");
  } catch {
    return undefined;
  }
  return { source, result: await checkText(source, file) };
}
