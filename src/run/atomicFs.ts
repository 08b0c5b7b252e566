/**
 * Crash-safe writes. Files: write a temp file in the same directory, fsync it, rename over the
 * target, fsync the directory, so a reader sees the old or the new content, never a torn one.
 * Directories (checkpoints): build a complete temp directory, then swap it in by renames; the
 * previous copy stays on disk as `.old-<name>-*` until the swap has finished, and readers fall
 * back to it (`resolveSwappedDir`) if a kill lands between the two renames.
 * Temp names start with "." and contain ".tmp-", which every reader ignores.
 */
import { closeSync, fsyncSync, openSync, promises as fsp, renameSync, rmSync, writeSync } from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { crashPoint } from "./crashPoint.js";
import { makeDirs } from "../util/mkdirs.js";

function tempSuffix(): string {
  return `${process.pid}-${randomBytes(4).toString("hex")}`;
}

/** True for names this module creates transiently (to ignore or clean up). */
export function isTempName(name: string): boolean {
  return name.startsWith(".") && (name.includes(".tmp-") || name.startsWith(".old-"));
}

async function fsyncDir(dir: string): Promise<void> {
  // Directory fsync makes the rename durable; some platforms (Windows) refuse to open a
  // directory, where rename durability is the filesystem's business anyway.
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(dir, "r");
    await fh.sync();
  } catch {
    /* best effort */
  } finally {
    await fh?.close();
  }
}

async function writeAndSync(file: string, data: string | Uint8Array): Promise<void> {
  const fh = await fsp.open(file, "w");
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${tempSuffix()}`);
  try {
    await writeAndSync(tmp, data);
    crashPoint("file-written");
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(dir);
}

/**
 * The same protocol, synchronously: for the last words of a process about to exit (a forced
 * stop), where no promise would ever settle.
 */
export function writeFileAtomicSync(file: string, data: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${tempSuffix()}`);
  try {
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Replace directory `target` with one holding exactly `files`, atomically from a reader's point
 * of view (see the module comment for the one window and how readers cover it).
 */
export async function writeDirAtomic(target: string, files: Readonly<Record<string, string | Uint8Array>>): Promise<void> {
  const parent = path.dirname(target);
  const name = path.basename(target);
  await makeDirs(parent);
  const tmp = path.join(parent, `.${name}.tmp-${tempSuffix()}`);
  await fsp.mkdir(tmp);
  try {
    for (const [f, data] of Object.entries(files)) {
      // A name may have folders in it (an ensemble's tfjs export: m1/model.json).
      if (f.includes("/")) await makeDirs(path.dirname(path.join(tmp, f)));
      await writeAndSync(path.join(tmp, f), data);
      crashPoint("dir-partial");
    }
    await fsyncDir(tmp);
  } catch (e) {
    await fsp.rm(tmp, { recursive: true, force: true });
    throw e;
  }
  const old = path.join(parent, `.old-${name}-${tempSuffix()}`);
  let moved = false;
  try {
    await fsp.rename(target, old);
    moved = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  if (moved) crashPoint("dir-swapping");
  await fsp.rename(tmp, target);
  await fsyncDir(parent);
  if (moved) await fsp.rm(old, { recursive: true, force: true });
}

/**
 * The directory to read for `target`: itself when present, else the newest `.old-<name>-*` copy
 * left by a swap that was interrupted between its renames; null when neither exists.
 */
export async function resolveSwappedDir(target: string): Promise<string | null> {
  if (await exists(target)) return target;
  const parent = path.dirname(target);
  const name = path.basename(target);
  let entries: string[];
  try {
    entries = await fsp.readdir(parent);
  } catch {
    return null;
  }
  const olds = entries.filter((e) => e.startsWith(`.old-${name}-`)).map((e) => path.join(parent, e));
  let best: { p: string; t: number } | null = null;
  for (const p of olds) {
    const t = (await fsp.stat(p)).mtimeMs;
    if (!best || t > best.t) best = { p, t };
  }
  return best?.p ?? null;
}

export async function exists(p: string): Promise<boolean> {
  try {
    await fsp.access(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Remove leftovers of interrupted writes under `dir` (one level and `checkpoints/`). An orphaned
 * `.old-X-*` is first promoted back to `X` when `X` is missing, so no complete copy is lost.
 */
export async function cleanupTemps(dir: string): Promise<void> {
  for (const d of [dir, path.join(dir, "checkpoints")]) {
    let entries: string[];
    try {
      entries = await fsp.readdir(d);
    } catch {
      continue;
    }
    for (const e of entries) {
      if (!isTempName(e)) continue;
      const full = path.join(d, e);
      const m = /^\.old-(.+)-\d+-[0-9a-f]+$/.exec(e);
      if (m && !(await exists(path.join(d, m[1]!)))) {
        await fsp.rename(full, path.join(d, m[1]!));
        continue;
      }
      await fsp.rm(full, { recursive: true, force: true });
    }
  }
}
