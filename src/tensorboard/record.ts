/**
 * TFRecord framing, as TensorFlow's record writer (tensorflow/core/lib/io/record_writer.cc) writes
 * each serialized Event of an event file:
 *   uint64 length (little endian) · uint32 masked CRC-32C of those 8 bytes ·
 *   data · uint32 masked CRC-32C of the data.
 */
import { maskedCrc32c } from "./crc32c.js";

export function tfRecord(data: Uint8Array): Buffer {
  const out = Buffer.alloc(8 + 4 + data.length + 4);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8);
  out.set(data, 12);
  out.writeUInt32LE(maskedCrc32c(data), 12 + data.length);
  return out;
}
