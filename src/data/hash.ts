/**
 * Content hashes of sources (the cache key and `LoadedDataset.hash`), with a stat pre-check so an
 * unchanged 96 MB file is not re-hashed on every load: `(absolute path, size, mtime)` -> sha256 is
 * remembered in a small JSON file in the cache directory. The key itself is always the content hash.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { lstat, readdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { makeDirs } from "../util/mkdirs.js";
import { fileKind } from "../util/fileKind.js";
import { MAX_FOLDER_FILES } from "./limits.js";

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

async function hashFileBytes(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest("hex");
}

/**
 * All regular files under `dir`, as sorted paths relative to it (forward slashes). Anything else
 * (a FIFO, a device, a socket, a symbolic link) is an error naming it: hashing would block on a
 * FIFO and never end on /dev/zero, and the folder reader refuses them too. More than
 * MAX_FOLDER_FILES files is an error as well.
 */
export async function listFilesRecursive(dir: string, prefix = "", out: string[] = []): Promise<string[]> {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const rel = prefix === "" ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) await listFilesRecursive(dir, rel, out);
    else if (e.isFile()) out.push(rel);
    else throw new Error(`${join(dir, rel)} is ${fileKind(await lstat(join(dir, rel)))}, not a regular file or a directory`);
    if (out.length > MAX_FOLDER_FILES) throw new Error(`more than ${MAX_FOLDER_FILES.toLocaleString("en-US")} files under ${dir}`);
  }
  return out;
}

interface StatMemo {
  readonly signature: string;
  readonly hash: string;
}

async function readMemo(memoFile: string): Promise<StatMemo | undefined> {
  try {
    const m = JSON.parse(await readFile(memoFile, "utf8")) as Partial<StatMemo>;
    return typeof m.signature === "string" && typeof m.hash === "string" ? { signature: m.signature, hash: m.hash } : undefined;
  } catch {
    return undefined;
  }
}

async function writeMemo(memoFile: string, memo: StatMemo): Promise<void> {
  try {
    const tmp = `${memoFile}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, JSON.stringify(memo));
    await rename(tmp, memoFile);
  } catch {
    // The memo only saves time; failing to write it is harmless.
  }
}

/**
 * sha256 of a file's bytes, or of a directory's files (each file contributes its relative path and
 * its bytes, in sorted order; `onlyDirs` restricts a directory to some top-level subdirectories).
 */
export async function contentHash(path: string, cacheDir: string | undefined, onlyDirs?: readonly string[]): Promise<string> {
  const abs = resolve(path);
  const st = await stat(abs);
  if (!st.isFile() && !st.isDirectory()) throw new Error(`${abs} is ${fileKind(st)}, not a regular file or a directory`);
  let files: { rel: string; size: number; mtimeMs: number }[] = [];
  if (st.isDirectory()) {
    const rels: string[] = [];
    for (const d of onlyDirs ?? [""]) {
      const sub = d === "" ? await listFilesRecursive(abs) : (await listFilesRecursive(join(abs, d))).map((r) => `${d}/${r}`);
      rels.push(...sub);
    }
    files = await Promise.all(
      rels.map(async (rel) => {
        const s = await stat(join(abs, rel));
        return { rel, size: s.size, mtimeMs: s.mtimeMs };
      }),
    );
  }
  const signature = st.isDirectory()
    ? sha256Hex(JSON.stringify([abs, onlyDirs ?? null, files.map((f) => [f.rel, f.size, f.mtimeMs])]))
    : JSON.stringify([abs, st.size, st.mtimeMs]);
  const memoFile = cacheDir === undefined ? undefined : join(cacheDir, `stat-${sha256Hex(abs + "|" + (onlyDirs ?? []).join("/")).slice(0, 24)}.json`);
  if (memoFile !== undefined) {
    const memo = await readMemo(memoFile);
    if (memo?.signature === signature) return memo.hash;
  }
  let hash: string;
  if (st.isDirectory()) {
    const h = createHash("sha256");
    for (const f of files) {
      h.update(`${f.rel}\0${f.size}\0`);
      // Streamed: a large file costs a buffer, not its size in memory.
      for await (const chunk of createReadStream(join(abs, f.rel), { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
    }
    hash = h.digest("hex");
  } else {
    hash = await hashFileBytes(abs);
  }
  if (memoFile !== undefined && cacheDir !== undefined) {
    await makeDirs(cacheDir).catch(() => undefined);
    await writeMemo(memoFile, { signature, hash });
  }
  return hash;
}
