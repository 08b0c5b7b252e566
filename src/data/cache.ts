/**
 * Binary cache of parsed sources, so the second load of FER2013 reads one 83 MB file instead of
 * gunzipping and parsing 290 MB of text.
 *
 * File layout (little-endian):
 *   "FERCDATA" (8 bytes) | format version u32 | header length u32 | header JSON (utf8)
 *   | pixels (n*h*w*c) | labels (n) | groups (n) | sha256 of everything before (32 bytes)
 * The header carries the cache key, n, the shape, group names and conversions. On read, the file's
 * real length must equal what the header implies and the checksum must match; otherwise the entry
 * is treated as absent (and rebuilt by the caller). Writes go to a temp file then rename, so a
 * crash or a concurrent writer never leaves a half-written entry under the final name.
 */
import { createHash } from "node:crypto";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { SourceImages } from "./types.js";
import { sha256Hex } from "./hash.js";
import { makeDirs } from "../util/mkdirs.js";

const MAGIC = Buffer.from("FERCDATA", "ascii");
const FORMAT_VERSION = 1;
const PREFIX = MAGIC.length + 8;

/** The default cache directory: $FERC_CACHE_DIR, else `.ferc-cache/` in the working directory. */
export function defaultCacheDir(): string {
  return process.env.FERC_CACHE_DIR ?? join(process.cwd(), ".ferc-cache");
}

/** The cache file for a key (the key is hashed again so it is a safe file name). */
export function cacheFilePath(cacheDir: string, key: string): string {
  return join(cacheDir, `${sha256Hex(key).slice(0, 32)}.fercdata`);
}

interface CacheHeader {
  key: string;
  n: number;
  height: number;
  width: number;
  channels: number;
  groupNames: string[];
  groupFirstRow: number[];
  conversions: SourceImages["conversions"];
}

/** Read a cache entry; undefined when absent, for another key, truncated or failing its checksum. */
export async function readCache(file: string, key: string): Promise<SourceImages | undefined> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch {
    return undefined;
  }
  if (buf.length < PREFIX + 32 || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  if (buf.readUInt32LE(MAGIC.length) !== FORMAT_VERSION) return undefined;
  const headerLen = buf.readUInt32LE(MAGIC.length + 4);
  if (PREFIX + headerLen + 32 > buf.length) return undefined;
  let h: CacheHeader;
  try {
    h = JSON.parse(buf.subarray(PREFIX, PREFIX + headerLen).toString("utf8")) as CacheHeader;
  } catch {
    return undefined;
  }
  if (h.key !== key) return undefined;
  const rowSize = h.height * h.width * h.channels;
  const bodyStart = PREFIX + headerLen;
  // Compare the claimed size with the real file size before touching anything sized by the claim.
  if (!Number.isSafeInteger(h.n) || h.n < 0 || bodyStart + h.n * (rowSize + 2) + 32 !== buf.length) return undefined;
  const end = buf.length - 32;
  const digest = createHash("sha256").update(buf.subarray(0, end)).digest();
  if (!digest.equals(buf.subarray(end))) return undefined;
  const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  const pixEnd = bodyStart + h.n * rowSize;
  return {
    n: h.n,
    height: h.height,
    width: h.width,
    channels: h.channels,
    pixels: bytes.subarray(bodyStart, pixEnd),
    labels: bytes.subarray(pixEnd, pixEnd + h.n),
    groups: bytes.subarray(pixEnd + h.n, pixEnd + 2 * h.n),
    groupNames: h.groupNames,
    groupFirstRow: h.groupFirstRow,
    conversions: h.conversions,
  };
}

/** Write a cache entry atomically (temp file + rename). Failures are swallowed: the cache is optional. */
export async function writeCache(file: string, key: string, src: SourceImages): Promise<boolean> {
  const header: CacheHeader = {
    key,
    n: src.n,
    height: src.height,
    width: src.width,
    channels: src.channels,
    groupNames: [...src.groupNames],
    groupFirstRow: [...src.groupFirstRow],
    conversions: src.conversions,
  };
  const headerBuf = Buffer.from(JSON.stringify(header), "utf8");
  const prefix = Buffer.alloc(PREFIX);
  MAGIC.copy(prefix, 0);
  prefix.writeUInt32LE(FORMAT_VERSION, MAGIC.length);
  prefix.writeUInt32LE(headerBuf.length, MAGIC.length + 4);
  const parts = [prefix, headerBuf, src.pixels.subarray(0, src.n * src.height * src.width * src.channels), src.labels.subarray(0, src.n), src.groups.subarray(0, src.n)];
  const hash = createHash("sha256");
  for (const p of parts) hash.update(p);
  const tmp = `${file}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await makeDirs(join(file, ".."));
    const fh = await open(tmp, "w");
    try {
      for (const p of parts) await fh.write(p);
      await fh.write(hash.digest());
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
    return true;
  } catch {
    await unlink(tmp).catch(() => undefined);
    return false;
  }
}
