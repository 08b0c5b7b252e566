/**
 * Before any training: the runs directory must exist (or be creatable), be writable, and have
 * room for checkpoints, so a long run does not fail at its first save.
 */
import { promises as fsp } from "node:fs";
import * as path from "node:path";
import { makeDirs, MkdirsError } from "../util/mkdirs.js";
import { FercError } from "../errors.js";

/** Default floor: checkpoints of FER-sized models are tens of MB; 100 MB leaves margin. */
export const DEFAULT_MIN_FREE_BYTES = 100 * 1024 * 1024;

export class RunDirError extends FercError {
  override readonly name = "RunDirError";
  readonly kind = "input";
}

export async function checkRunsDir(runsDir: string, minFreeBytes = DEFAULT_MIN_FREE_BYTES): Promise<{ freeBytes: number | null }> {
  try {
    await makeDirs(runsDir);
  } catch (e) {
    if (!(e instanceof MkdirsError)) throw e;
    throw new RunDirError(`cannot create runs directory ${runsDir}: ${e.message}`);
  }
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
