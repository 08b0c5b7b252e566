/**
 * Small image helpers shared by the folder source and the synthetic generator: decode JPEG/PNG,
 * RGBA -> grey (ITU-R 601 luma) and bilinear resize.
 */
import jpeg from "jpeg-js";
import { PNG } from "pngjs";

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
  if (bytes.length < 24) throw new Error("PNG file is truncated");
  const w = bytes.readUInt32BE(16), h = bytes.readUInt32BE(20);
  if (w === 0 || h === 0 || w * h > MAX_PIXELS) throw new Error(`PNG claims ${w}x${h} pixels, more than allowed`);
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length) };
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
