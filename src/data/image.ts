/**
 * Small image helpers shared by the folder source and the synthetic generator: decode JPEG/PNG,
 * RGBA -> grey (ITU-R 601 luma) and bilinear resize.
 */
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { inflateSync } from "node:zlib";

export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  /** width * height * 4 bytes. */
  readonly data: Uint8Array;
}

/** Images larger than this are rejected before decoding, so a forged header cannot exhaust memory. */
const MAX_PIXELS = 16 * 1024 * 1024;

export type ImageKind = "jpeg" | "png";

export function sniffImage(bytes: Uint8Array): ImageKind | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "png";
  return undefined;
}

/** Decode a JPEG or PNG; throws a plain Error with the reason (the caller adds the path). */
export function decodeImage(bytes: Buffer): RgbaImage {
  const kind = sniffImage(bytes);
  if (kind === undefined) throw new Error("not a JPEG or PNG image (unrecognised file signature)");
  if (kind === "jpeg") {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / 1e6, maxMemoryUsageInMB: 256 });
    return { width: img.width, height: img.height, data: img.data };
  }
  // IHDR width/height sit at bytes 16..23; check them before pngjs allocates width*height*4.
  if (bytes.length < 29) throw new Error("PNG file is truncated");
  const w = bytes.readUInt32BE(16), h = bytes.readUInt32BE(20);
  if (w === 0 || h === 0 || w * h > MAX_PIXELS) throw new Error(`PNG claims ${w}x${h} pixels, more than allowed`);
  // pngjs caps what it inflates for a plain PNG, not for an interlaced one: 1 MB of zeros that
  // inflate to 1 GiB behind a 16x16 header cost 2 GB. Inflate it here first, capped at what the
  // header allows (zlib stops as soon as the output passes the cap).
  if (bytes[28] === 1) boundedInflate(bytes, w, h);
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length) };
}

/** Channels per pixel of each PNG colour type (grey, RGB, palette, grey+alpha, RGBA). */
const PNG_CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Adam7's passes: [x start, y start, x step, y step]. */
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;

/** Bytes an interlaced PNG's image data inflate to: per pass, per row a filter byte and the pixels. */
export function interlacedDataBytes(w: number, h: number, depth: number, colourType: number): number {
  const bits = (PNG_CHANNELS[colourType] ?? 4) * Math.max(1, Math.min(depth, 16));
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7) {
    const pw = w > x0 ? Math.ceil((w - x0) / dx) : 0;
    const ph = h > y0 ? Math.ceil((h - y0) / dy) : 0;
    if (pw > 0 && ph > 0) total += ph * (1 + Math.ceil((pw * bits) / 8));
  }
  return total;
}

/** Inflate an interlaced PNG's IDAT data, refusing more than its header allows. */
function boundedInflate(bytes: Buffer, w: number, h: number): void {
  const parts: Buffer[] = [];
  for (let at = 8; at + 8 <= bytes.length; ) {
    const len = bytes.readUInt32BE(at);
    const type = bytes.toString("latin1", at + 4, at + 8);
    if (at + 12 + len > bytes.length) break; // truncated: pngjs says so
    if (type === "IDAT") parts.push(bytes.subarray(at + 8, at + 8 + len));
    if (type === "IEND") break;
    at += 12 + len;
  }
  const allowed = interlacedDataBytes(w, h, bytes[24]!, bytes[25]!);
  try {
    inflateSync(Buffer.concat(parts), { maxOutputLength: Math.max(1, allowed) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw new Error(`PNG image data inflate to more than the ${allowed} bytes its ${w}x${h} header allows`);
    }
    // Corrupt data: pngjs reports it in its own words.
  }
}

/** True when some pixel has R, G, B not all equal. */
export function isColour(img: RgbaImage): boolean {
  const d = img.data;
  for (let i = 0; i < d.length; i += 4) if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) return true;
  return false;
}

// RGBA -> 1 or 3 channels (ITU-R 601 luma for grey): one definition, shared with predict and serve.
export { rgbaToChannels } from "../face/pixels.js";

/**
 * Bilinear resize of an interleaved uint8 image, with pixel centres aligned (half-pixel
 * convention, as OpenCV/PIL), edges clamped.
 */
export function resizeBilinear(src: Uint8Array, sw: number, sh: number, c: number, dw: number, dh: number): Uint8Array {
  const out = new Uint8Array(dw * dh * c);
  const sx = sw / dw, sy = sh / dh;
  for (let y = 0; y < dh; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), sh - 1);
    const y0 = Math.floor(fy), y1 = Math.min(y0 + 1, sh - 1), wy = fy - y0;
    for (let x = 0; x < dw; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), sw - 1);
      const x0 = Math.floor(fx), x1 = Math.min(x0 + 1, sw - 1), wx = fx - x0;
      for (let k = 0; k < c; k++) {
        const a = src[(y0 * sw + x0) * c + k]!, b = src[(y0 * sw + x1) * c + k]!;
        const p = src[(y1 * sw + x0) * c + k]!, q = src[(y1 * sw + x1) * c + k]!;
        const top = a + (b - a) * wx, bot = p + (q - p) * wx;
        out[(y * dw + x) * c + k] = Math.round(top + (bot - top) * wy);
      }
    }
  }
  return out;
}
