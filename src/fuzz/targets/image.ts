/**
 * Fuzz target: the image decoder (image folders and `ferc predict`). Inputs are generated PNGs of
 * every colour type and bit depth, plain and interlaced, with random filters, and JPEGs; then
 * mutated: bytes flipped, chunks truncated, header sizes forged (with the checksum fixed so the
 * decoder reads on), image data swapped for a deflate bomb.
 * Oracle: decodeImage returns a consistent image (width x height x 4 bytes, within the pixel
 * cap) or throws an Error (which the callers name by path); the process stays within memory, and
 * each decode within the time bound plus a linear allowance for the pixels the file declares
 * (decoding is linear in them, and an image of up to 16 megapixels is allowed: ~2 s on a loaded
 * 2-core machine), so what the bound catches is work out of proportion to the image.
 */
import jpeg from "jpeg-js";
import { deflateSync } from "node:zlib";
import { decodeImage } from "../../data/image.js";
import { broken, campaign, Findings, type TargetOptions, type TargetReport } from "../bounds.js";
import { Rng } from "../mutate.js";

const MAX_PIXELS = 16 * 1024 * 1024;
const DEPTHS: Readonly<Record<number, readonly number[]>> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

const CRC_TABLE = Array.from({ length: 256 }, (_, i) => {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const td = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const tail = Buffer.alloc(4);
  tail.writeUInt32BE(crc32(td));
  return Buffer.concat([head, td, tail]);
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function ihdr(w: number, h: number, depth: number, colour: number, interlace: number): Buffer {
  const b = Buffer.alloc(13);
  b.writeUInt32BE(w >>> 0, 0);
  b.writeUInt32BE(h >>> 0, 4);
  b[8] = depth;
  b[9] = colour;
  b[12] = interlace;
  return b;
}

/** Raw (filtered) rows of random pixels for one image or Adam7 pass of pw x ph. */
function rows(rng: Rng, pw: number, ph: number, bits: number): number[] {
  const out: number[] = [];
  const rowBytes = Math.ceil((pw * bits) / 8);
  for (let y = 0; y < ph; y++) {
    out.push(rng.int(5));
    for (let x = 0; x < rowBytes; x++) out.push(rng.int(256));
  }
  return out;
}

function png(rng: Rng): Buffer {
  const colour = rng.pick([0, 2, 3, 4, 6]);
  const depth = rng.pick(DEPTHS[colour]!);
  const w = 1 + rng.int(24), h = 1 + rng.int(24);
  const interlace = rng.next() < 0.4 ? 1 : 0;
  const bits = CHANNELS[colour]! * depth;
  const raw: number[] = [];
  if (interlace) {
    for (const [x0, y0, dx, dy] of [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const) {
      const pw = w > x0 ? Math.ceil((w - x0) / dx) : 0, ph = h > y0 ? Math.ceil((h - y0) / dy) : 0;
      if (pw > 0 && ph > 0) raw.push(...rows(rng, pw, ph, bits));
    }
  } else raw.push(...rows(rng, w, h, bits));
  const parts = [SIGNATURE, chunk("IHDR", ihdr(w, h, depth, colour, interlace))];
  if (colour === 3) parts.push(chunk("PLTE", Buffer.from(Array.from({ length: 3 * (1 << Math.min(depth, 8)) }, () => rng.int(256)))));
  const data = deflateSync(Buffer.from(raw));
  // Image data may be split over several IDAT chunks.
  const cut = rng.int(data.length + 1);
  parts.push(chunk("IDAT", data.subarray(0, cut)), ...(cut < data.length ? [chunk("IDAT", data.subarray(cut))] : []), chunk("IEND", Buffer.alloc(0)));
  return Buffer.concat(parts);
}

function jpg(rng: Rng): Buffer {
  const w = 1 + rng.int(32), h = 1 + rng.int(32);
  const data = Buffer.from(Array.from({ length: w * h * 4 }, () => rng.int(256)));
  return Buffer.from(jpeg.encode({ width: w, height: h, data }, 10 + rng.int(90)).data);
}

/** A PNG whose header says w x h (checksum fixed) and whose data are `inflated` zero bytes. */
function forged(rng: Rng): Buffer {
  const w = rng.pick([1, 16, 48, 4096, 65535, 2 ** 31 - 1]), h = rng.pick([1, 16, 48, 4096, 65535, 2 ** 31 - 1]);
  const inflated = rng.next() < 0.1 ? 64 * 1024 * 1024 : rng.int(4 * 1024 * 1024);
  return Buffer.concat([SIGNATURE, chunk("IHDR", ihdr(w, h, 8, rng.pick([0, 2, 6]), rng.int(2))), chunk("IDAT", deflateSync(Buffer.alloc(inflated))), chunk("IEND", Buffer.alloc(0))]);
}

function mutate(b: Buffer, rng: Rng): Buffer {
  const out = Buffer.from(b);
  switch (rng.int(4)) {
    case 0:
      for (let k = 0; k < 1 + rng.int(8); k++) out[rng.int(out.length)] = rng.int(256);
      return out;
    case 1:
      return out.subarray(0, rng.int(out.length));
    case 2:
      // A chunk length forged (at a chunk boundary after the signature).
      if (out.length > 12) out.writeUInt32BE(rng.pick([0, 1, 0x7fffffff, 0xffffffff, rng.int(1 << 20)]), 8);
      return out;
    default: {
      // The header's fields changed with the checksum kept right, so the decoder reads on.
      if (out.length < 33 || out.toString("latin1", 12, 16) !== "IHDR") return out;
      const field = rng.int(5);
      if (field === 0) out.writeUInt32BE(rng.int(1 << 16), 16);
      else if (field === 1) out.writeUInt32BE(rng.int(1 << 16), 20);
      else if (field === 2) out[24] = rng.pick([0, 1, 2, 3, 4, 5, 8, 16, 32, 255]);
      else if (field === 3) out[25] = rng.pick([0, 1, 2, 3, 4, 5, 6, 7, 255]);
      else out[28] = rng.pick([0, 1, 2, 255]);
      out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
      return out;
    }
  }
}

/** Milliseconds a decode may take per declared megapixel, on top of the time bound. */
const MS_PER_MEGAPIXEL = 300;

/** The pixels a file says it has (PNG header, JPEG frame header), capped as the decoder caps them. */
export function declaredPixels(b: Buffer): number {
  if (b.length >= 24 && b[0] === 0x89 && b[1] === 0x50) return Math.min(b.readUInt32BE(16) * b.readUInt32BE(20), MAX_PIXELS);
  for (let i = 2; i + 9 < b.length; i++) {
    // A JPEG start-of-frame marker (SOF0..SOF15 but DHT, JPG, DAC): height, width follow.
    if (b[i] === 0xff && b[i + 1]! >= 0xc0 && b[i + 1]! <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(b[i + 1]!)) return Math.min(b.readUInt16BE(i + 5) * b.readUInt16BE(i + 7), MAX_PIXELS);
  }
  return 0;
}

export async function imageTarget(opts: TargetOptions): Promise<TargetReport> {
  const rng = new Rng(opts.seed * 15_485_863 + 5);
  const findings = new Findings();
  const next = (): Buffer => {
    const r = rng.next();
    if (r < 0.05) return forged(rng);
    const base = rng.next() < 0.75 ? png(rng) : jpg(rng);
    return r < 0.3 ? base : mutate(base, rng);
  };
  const examine = async (bytes: Buffer): Promise<void> => {
    const limit = opts.timeLimitMs + (MS_PER_MEGAPIXEL * declaredPixels(bytes)) / 1e6;
    const img = await findings.timed("image.decode", limit, () => {
      try {
        return decodeImage(bytes);
      } catch (e) {
        if (!(e instanceof Error) || e.message.trim() === "") throw new Error(`decodeImage threw a non-Error or no message: ${String(e)}`);
        return null;
      }
    });
    findings.outcome("decode", img !== null);
    if (img === null) return;
    if (!(img.width > 0 && img.height > 0) || img.width * img.height > MAX_PIXELS) broken("image.size", `${img.width}x${img.height}`);
    if (img.data.length !== img.width * img.height * 4) broken("image.shape", `${img.width}x${img.height} with ${img.data.length} bytes`);
  };
  return campaign("image", opts, findings, next, examine, (b) => `${b.length} bytes: ${b.subarray(0, 64).toString("hex")}…`);
}
