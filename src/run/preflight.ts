/**
 * Before any training: the runs directory must exist (or be creatable), be writable, and have
 * room for checkpoints, so a long run does not fail at its first save.
 */
import { promises as fsp } from "node:fs";
import * as path from "node:path";

/** Default floor: checkpoints of FER-sized models are tens of MB; 100 MB leaves margin. */
export const DEFAULT_MIN_FREE_BYTES = 100 * 1024 * 1024;

export class RunDirError extends Error {
  override readonly name = "RunDirError";
}

const code = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? String(e);

/**
 * `mkdir -p`, one component at a time. Not Node's `mkdir(..., { recursive: true })`: where a file
 * system answers ENOENT although the parent exists (`/proc/nope`), that loops forever at 100% CPU
 * in native code, deaf to SIGTERM. Here each missing component is created once, so every failure
 * is reported, in bounded time, naming the component at fault.
 */
async function makeDirs(runsDir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = path.resolve(runsDir); ; d = path.dirname(d)) {
    try {
      const st = await fsp.stat(d);
      if (!st.isDirectory()) throw new RunDirError(`cannot create runs directory ${runsDir}: ${d} is a file, not a directory`);
      break;
    } catch (e) {
      if (e instanceof RunDirError) throw e;
      // ENOTDIR: some ancestor is a file; walking up finds it and says so.
      if (code(e) !== "ENOENT" && code(e) !== "ENOTDIR") throw new RunDirError(`cannot create runs directory ${runsDir}: cannot look at ${d} (${code(e)})`);
      missing.unshift(d);
      if (path.dirname(d) === d) break;
    }
  }
  for (const d of missing) {
    try {
      await fsp.mkdir(d);
    } catch (e) {
      if (code(e) === "EEXIST" && (await fsp.stat(d).catch(() => null))?.isDirectory()) continue; // made by someone else meanwhile
      const why = code(e) === "ENOENT" ? "ENOENT although its parent exists: this file system does not allow creating it" : code(e);
      throw new RunDirError(`cannot create runs directory ${runsDir}: mkdir ${d} failed (${why})`);
    }
  }
}

export async function checkRunsDir(runsDir: string, minFreeBytes = DEFAULT_MIN_FREE_BYTES): Promise<{ freeBytes: number | null }> {
  await makeDirs(runsDir);
  const probe = path.join(runsDir, `.write-probe.tmp-${process.pid}`);
  try {
    await fsp.writeFile(probe, "ok");
  } catch (e) {
    throw new RunDirError(`runs directory ${runsDir} is not writable: ${(e as Error).message}`);
  } finally {
    await fsp.rm(probe, { force: true });
  }
  let freeBytes: number | null = null;
  try {
    const s = await fsp.statfs(runsDir);
    freeBytes = Number(s.bavail) * Number(s.bsize);
  } catch {
    // statfs is missing on some platforms/filesystems; the write probe above still passed.
  }
  if (freeBytes !== null && freeBytes < minFreeBytes) {
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
    throw new RunDirError(`only ${mb(freeBytes)} free in ${runsDir}; need at least ${mb(minFreeBytes)} for checkpoints`);
  }
  return { freeBytes };
}
