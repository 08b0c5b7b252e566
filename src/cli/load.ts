/** Reading a spec file (`.fer` or `.fer.yaml`) and checking it, shared by the commands. */
import { readFile } from "node:fs/promises";
import { checkSource, type CheckResult } from "../check/index.js";

export interface CheckedFile {
  readonly source: string;
  readonly result: CheckResult;
}

/** undefined when the file cannot be read (the caller reports it as a usage error). */
export async function checkFile(file: string): Promise<CheckedFile | undefined> {
  let source: string;
  try {
    source = await readFile(file, "utf8");
  } catch {
    return undefined;
  }
  return { source, result: checkSource(source, file) };
}
