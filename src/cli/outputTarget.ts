/**
 * The one rule for files a command writes where the user says (`-o PATH` of export, report and
 * compile): a new path, or an existing regular file when `--force` says to replace it. Never a
 * device, FIFO, socket or symbolic link: writes go to a temp file renamed over the target, so
 * `-o /dev/null` as root would have replaced /dev/null with a regular file, and a FIFO or a
 * link would have been replaced (or, written to directly, blocked or followed) likewise.
 */
import { promises as fsp, type Stats } from "node:fs";
import { UsageError } from "./args.js";
import { fileKind } from "../util/fileKind.js";

async function lstatOrNull(p: string): Promise<Stats | null> {
  try {
    return await fsp.lstat(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw new UsageError(`cannot use ${p}: ${code ?? String(e)}`);
  }
}

/** `target` may be written as a file: absent, or a regular file and `force`. `what` names the option. */
export async function checkOutputFile(target: string, force: boolean, what = "-o"): Promise<void> {
  const st = await lstatOrNull(target);
  if (st === null) return;
  if (st.isDirectory()) throw new UsageError(`${what} ${target}: is a directory; give a file name`);
  if (!st.isFile()) throw new UsageError(`${what} ${target}: is ${fileKind(st)}, not a regular file; ferc writes only new files or regular ones`);
  if (!force) throw new UsageError(`${what} ${target}: exists; --force replaces it`);
}

/**
 * `target` may be written as a directory that replaces what is there: absent, empty, or (with
 * `force`) an earlier output of the same command (`isOurs`); never a link or anything else.
 */
export async function checkOutputDir(target: string, force: boolean, isOurs: (dir: string) => Promise<boolean>, what = "-o"): Promise<void> {
  const st = await lstatOrNull(target);
  if (st === null) return;
  if (!st.isDirectory()) throw new UsageError(`${what} ${target}: is ${fileKind(st)}, not a directory; give a new or empty directory`);
  if ((await fsp.readdir(target)).length === 0) return;
  if (!(await isOurs(target))) throw new UsageError(`${what} ${target}: the directory exists and is not a ferc tfjs export; give a new or empty directory`);
  if (!force) throw new UsageError(`${what} ${target}: holds an earlier export; --force replaces it`);
}
