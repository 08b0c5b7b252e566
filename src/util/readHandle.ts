import type { FileHandle } from "node:fs/promises";

/**
 * The first `size` bytes of an open file (its size when checked), read through that handle so the
 * file cannot be swapped in between. A file that shrank while being read gives what was there; a
 * torn file is then found by its parser.
 */
export async function readHandle(fh: FileHandle, size: number): Promise<Buffer<ArrayBuffer>> {
  const buf = Buffer.alloc(size);
  let at = 0;
  while (at < buf.length) {
    const { bytesRead } = await fh.read(buf, at, buf.length - at, at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  return at === buf.length ? buf : buf.subarray(0, at);
}
