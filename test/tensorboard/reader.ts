/**
 * An independent reader of TensorBoard event files for the tests, written from the formats'
 * definitions and sharing no code with src/tensorboard: TFRecord framing (uint64 length, masked
 * CRC-32C of it, data, masked CRC-32C of the data; tensorflow/core/lib/io/record_reader.cc), a
 * bit-by-bit CRC-32C, and a protobuf wire-format decoder for the fields of Event, Summary and the
 * hparams plugin's messages. Every CRC is checked; a bad one throws, naming the record.
 */

/** CRC-32C computed bit by bit (no table), reflected polynomial 0x82F63B78. */
export function crc32cBitwise(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0x82f63b78 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const masked = (crc: number): number => ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) % 0x100000000;

/** The records of an event file; throws on a bad length CRC, a bad data CRC or a truncated record. */
export function readRecords(buf: Uint8Array): Uint8Array[] {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < buf.length) {
    if (at + 12 > buf.length) throw new Error(`record ${out.length}: truncated header`);
    const len = Number(view.getBigUint64(at, true));
    const lenCrc = view.getUint32(at + 8, true);
    if (lenCrc !== masked(crc32cBitwise(buf.subarray(at, at + 8)))) throw new Error(`record ${out.length}: length CRC mismatch`);
    const data = buf.subarray(at + 12, at + 12 + len);
    if (at + 16 + len > buf.length) throw new Error(`record ${out.length}: truncated data`);
    const dataCrc = view.getUint32(at + 12 + len, true);
    if (dataCrc !== masked(crc32cBitwise(data))) throw new Error(`record ${out.length}: data CRC mismatch`);
    out.push(data);
    at += 16 + len;
  }
  return out;
}

/** One protobuf field: its number and raw value (varint as bigint, fixed as bytes, length-delimited as bytes). */
interface Field {
  readonly no: number;
  readonly wire: number;
  readonly varint?: bigint;
  readonly bytes?: Uint8Array;
}

function fields(buf: Uint8Array): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[at++];
      if (b === undefined) throw new Error("truncated varint");
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return v;
      shift += 7n;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const no = key >>> 3, wire = key & 7;
    if (wire === 0) out.push({ no, wire, varint: varint() });
    else if (wire === 1) out.push({ no, wire, bytes: buf.subarray(at, (at += 8)) });
    else if (wire === 5) out.push({ no, wire, bytes: buf.subarray(at, (at += 4)) });
    else if (wire === 2) {
      const len = Number(varint());
      out.push({ no, wire, bytes: buf.subarray(at, (at += len)) });
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

const f64 = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true);
const f32 = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const one = (fs: Field[], no: number): Field | undefined => fs.find((f) => f.no === no);

export interface DecodedValue {
  readonly tag: string;
  readonly simpleValue?: number;
  readonly image?: { readonly height: number; readonly width: number; readonly colorspace: number; readonly png: Uint8Array };
  readonly pluginName?: string;
  readonly pluginContent?: Uint8Array;
  /** TensorProto: dtype and the dims' sizes. */
  readonly tensor?: { readonly dtype: number; readonly dims: number[] };
}

export interface DecodedEvent {
  readonly wallTime: number;
  readonly step: number;
  readonly fileVersion?: string;
  readonly values: readonly DecodedValue[];
}

function decodeValue(b: Uint8Array): DecodedValue {
  const fs = fields(b);
  const tag = text(one(fs, 1)?.bytes ?? new Uint8Array());
  const simple = one(fs, 2);
  const image = one(fs, 4);
  const tensor = one(fs, 8);
  const meta = one(fs, 9);
  const plugin = meta ? one(fields(meta.bytes!), 1) : undefined;
  const pf = plugin ? fields(plugin.bytes!) : undefined;
  return {
    tag,
    ...(simple ? { simpleValue: f32(simple.bytes!) } : {}),
    ...(image
      ? (() => {
          const i = fields(image.bytes!);
          return { image: { height: Number(one(i, 1)?.varint ?? 0n), width: Number(one(i, 2)?.varint ?? 0n), colorspace: Number(one(i, 3)?.varint ?? 0n), png: one(i, 4)?.bytes ?? new Uint8Array() } };
        })()
      : {}),
    ...(tensor
      ? (() => {
          const t = fields(tensor.bytes!);
          const shape = one(t, 2);
          const dims = shape ? fields(shape.bytes!).filter((f) => f.no === 2).map((d) => Number(one(fields(d.bytes!), 1)?.varint ?? 0n)) : [];
          return { tensor: { dtype: Number(one(t, 1)?.varint ?? 0n), dims } };
        })()
      : {}),
    ...(pf ? { pluginName: text(one(pf, 1)?.bytes ?? new Uint8Array()), pluginContent: one(pf, 2)?.bytes ?? new Uint8Array() } : {}),
  };
}

export function decodeEvent(b: Uint8Array): DecodedEvent {
  const fs = fields(b);
  const summary = one(fs, 5);
  return {
    wallTime: f64(one(fs, 1)?.bytes ?? new Uint8Array(8)),
    step: Number(one(fs, 2)?.varint ?? 0n),
    ...(one(fs, 3) ? { fileVersion: text(one(fs, 3)!.bytes!) } : {}),
    values: summary ? fields(summary.bytes!).filter((f) => f.no === 1).map((f) => decodeValue(f.bytes!)) : [],
  };
}

/** HParamsPluginData: its version and a session start (hparams as a plain map) or end. */
export interface DecodedHParams {
  readonly version: number;
  readonly start?: { readonly hparams: Record<string, number | string | boolean>; readonly startTimeSecs: number };
  readonly end?: { readonly status: number; readonly endTimeSecs: number };
}

export function decodeHParams(b: Uint8Array): DecodedHParams {
  const fs = fields(b);
  const start = one(fs, 3);
  const end = one(fs, 4);
  const out: { version: number; start?: DecodedHParams["start"]; end?: DecodedHParams["end"] } = { version: Number(one(fs, 1)?.varint ?? 0n) };
  if (start) {
    const s = fields(start.bytes!);
    const hparams: Record<string, number | string | boolean> = {};
    for (const entry of s.filter((f) => f.no === 1)) {
      const e = fields(entry.bytes!);
      const key = text(one(e, 1)?.bytes ?? new Uint8Array());
      const v = fields(one(e, 2)?.bytes ?? new Uint8Array());
      const num = one(v, 2), str = one(v, 3), bool = one(v, 4);
      hparams[key] = num ? f64(num.bytes!) : str ? text(str.bytes!) : bool ? bool.varint === 1n : "";
    }
    out.start = { hparams, startTimeSecs: f64(one(s, 5)?.bytes ?? new Uint8Array(8)) };
  }
  if (end) {
    const e = fields(end.bytes!);
    out.end = { status: Number(one(e, 1)?.varint ?? 0n), endTimeSecs: f64(one(e, 2)?.bytes ?? new Uint8Array(8)) };
  }
  return out;
}

/** Every event of a file, decoded, each record's CRCs checked. */
export const readEventFile = (buf: Uint8Array): DecodedEvent[] => readRecords(buf).map(decodeEvent);
