/**
 * `mkdir -p`, one component at a time. Not Node's `mkdir(dir, { recursive: true })`: where a file
 * system answers ENOENT although the parent exists (`/proc/nope`), that spins forever at 100% CPU
 * in native code, deaf to SIGTERM. Here each missing component is created once, so every failure
 * ends at once with an error naming the component at fault.
 */
import { promises as fsp } from "node:fs";
import * as path from "node:path";
import { FercError } from "../errors.js";

export class MkdirsError extends FercError {
  readonly kind = "internal";
  override readonly name = "MkdirsError";
}

const code = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? String(e);

export async function makeDirs(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    let st;
    try {
      st = await fsp.stat(d);
    } catch (e) {
      // ENOTDIR: some ancestor is a file; walking up finds it and says so.
      if (code(e) !== "ENOENT" && code(e) !== "ENOTDIR") throw new MkdirsError(`cannot look at ${d} (${code(e)})`);
      missing.unshift(d);
      if (path.dirname(d) === d) break;
      continue;
    }
    if (!st.isDirectory()) throw new MkdirsError(`${d} is a file, not a directory`);
    break;
  }
  for (const d of missing) {
    try {
      await fsp.mkdir(d);
    } catch (e) {
      if (code(e) === "EEXIST" && (await fsp.stat(d).catch(() => null))?.isDirectory()) continue; // made meanwhile by someone else
      const why = code(e) === "ENOENT" ? "ENOENT although its parent exists: this file system does not allow creating it" : code(e);
      throw new MkdirsError(`mkdir ${d} failed (${why})`);
    }
  }
}
