/**
 * Binary checkpoint files split into shards. Records are committed to git, where a file may
 * take at most 10 MB, and a long run is resumed in a later session from its committed `last`
 * checkpoint: a 2.6M-parameter model has 10.6 MB of weights and 21 MB of Adam slots. So a blob
 * larger than `SHARD_BYTES` is written as `NAME-shard1ofN.bin` … (tfjs's own layout: model.json's
 * `weightsManifest.paths` lists them in order and `tf.loadLayersModel` concatenates them), and a
 * smaller one stays the single `NAME.bin` it always was, so existing records and their ensemble
 * hashes are unchanged.
 *
 * The shard list of a record is untrusted input (model.json and state.json are committed files):
 * a name is accepted only when it is a plain file name of this checkpoint directory.
 */

/** The most bytes one shard holds: 8 MiB, under the 10 MB (10^7 bytes) a committed file may take. */
export const SHARD_BYTES = 8 * 1024 * 1024;

/** The file names for a blob of `bytes` bytes called `base` ("weights", "optimizer"). */
export function shardNames(base: string, bytes: number, shardBytes = SHARD_BYTES): string[] {
  if (bytes <= shardBytes) return [`${base}.bin`];
  const n = Math.ceil(bytes / shardBytes);
  return Array.from({ length: n }, (_, i) => `${base}-shard${i + 1}of${n}.bin`);
}

/** `blob` cut into consecutive pieces, one per name (each `shardBytes` long but the last). */
export function splitShards(blob: Uint8Array, names: readonly string[], shardBytes = SHARD_BYTES): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  names.forEach((name, i) => {
    out[name] = names.length === 1 ? blob : blob.subarray(i * shardBytes, Math.min(blob.byteLength, (i + 1) * shardBytes));
  });
  return out;
}

/** Why a record's list of shard names cannot be used (null when it can). */
export function shardListProblem(names: unknown): string | null {
  if (!Array.isArray(names) || names.length === 0) return "its list of files is empty or not a list";
  const seen = new Set<string>();
  for (const n of names) {
    // A plain name in the checkpoint's own directory: no folders, no "..", no hidden files.
    if (typeof n !== "string" || !/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}\.bin$/.test(n)) return "its list of files names something other than a .bin file of the checkpoint directory";
    if (seen.has(n)) return "its list of files names one file twice";
    seen.add(n);
  }
  return null;
}

/** The shards read in order and joined into one buffer. */
export async function readShards(names: readonly string[], read: (name: string) => Promise<Uint8Array<ArrayBuffer>>): Promise<Uint8Array<ArrayBuffer>> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (const n of names) parts.push(await read(n));
  return parts.length === 1 ? parts[0]! : new Uint8Array(Buffer.concat(parts));
}
