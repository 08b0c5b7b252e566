/**
 * Reading an input file that must be a regular file: an image, a data file. A FIFO would block
 * the open or the read forever and /dev/zero never ends, so the file is opened without blocking,
 * checked on that descriptor, and read to its size only when that is under a cap.
 */
import { constants, promises as fsp } from "node:fs";
import { fileKind } from "../util/fileKind.js";
import { readHandle } from "../util/readHandle.js";

/** The reason `path` is not a regular file, from a stat of it (following links), or null. */
export async function notRegular(path: string): Promise<string | null> {
  const st = await fsp.stat(path);
  return st.isFile() ? null : `it is ${fileKind(st)}, not a regular file`;
}

/** The bytes of a regular file of at most `maxBytes`; a plain Error says why not. */
export async function readRegularFile(path: string, maxBytes: number): Promise<Buffer> {
  const fh = await fsp.open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new Error(`it is ${fileKind(st)}, not a regular file`);
    if (st.size > maxBytes) throw new Error(`it is ${st.size.toLocaleString("en-US")} bytes, more than the ${maxBytes.toLocaleString("en-US")} ferc reads`);
    return await readHandle(fh, st.size);
  } finally {
    await fh.close();
  }
}
