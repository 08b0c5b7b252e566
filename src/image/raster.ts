/**
 * A small RGB canvas written as PNG (pngjs): filled rectangles, grey images scaled up with
 * square pixels, and text in the 5x8 bitmap font at integer scales. Enough for labelled grids of
 * faces and a confusion matrix, with no font or SVG renderer.
 */
import { PNG } from "pngjs";
import { ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, glyphPixel } from "./font.js";

export type Rgb = readonly [number, number, number];

export const WHITE: Rgb = [255, 255, 255];
export const BLACK: Rgb = [17, 24, 39];
export const GREY: Rgb = [107, 114, 128];

export class Canvas {
  private readonly data: Buffer;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = WHITE,
  ) {
    this.data = Buffer.alloc(width * height * 4);
    this.fillRect(0, 0, width, height, background);
  }

  private set(x: number, y: number, c: Rgb): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 4;
    this.data[i] = c[0];
    this.data[i + 1] = c[1];
    this.data[i + 2] = c[2];
    this.data[i + 3] = 255;
  }

  fillRect(x: number, y: number, w: number, h: number, c: Rgb): void {
    for (let yy = Math.max(0, y); yy < Math.min(this.height, y + h); yy++) for (let xx = Math.max(0, x); xx < Math.min(this.width, x + w); xx++) this.set(xx, yy, c);
  }

  /** A one-pixel frame inside the rectangle. */
  strokeRect(x: number, y: number, w: number, h: number, c: Rgb): void {
    this.fillRect(x, y, w, 1, c);
    this.fillRect(x, y + h - 1, w, 1, c);
    this.fillRect(x, y, 1, h, c);
    this.fillRect(x + w - 1, y, 1, h, c);
  }

  /** A grey image (values 0..255, row-major, `w`x`h`) with each pixel drawn `scale`x`scale`. */
  grey(x: number, y: number, pixels: ArrayLike<number>, w: number, h: number, scale = 1): void {
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const v = Math.max(0, Math.min(255, Math.round(pixels[r * w + c]!)));
        this.fillRect(x + c * scale, y + r * scale, scale, scale, [v, v, v]);
      }
    }
  }

  /** Text with its top-left corner at (x, y). */
  text(x: number, y: number, s: string, c: Rgb = BLACK, scale = 1): void {
    [...s].forEach((ch, i) => {
      for (let col = 0; col < GLYPH_WIDTH; col++) {
        for (let row = 0; row < GLYPH_HEIGHT; row++) if (glyphPixel(ch, col, row)) this.fillRect(x + (i * ADVANCE + col) * scale, y + row * scale, scale, scale, c);
      }
    });
  }

  /** Text centred in the box [x, x + w). */
  textCentred(x: number, w: number, y: number, s: string, c: Rgb = BLACK, scale = 1): void {
    this.text(x + Math.floor((w - textWidth(s, scale)) / 2), y, s, c, scale);
  }

  png(): Buffer {
    const png = new PNG({ width: this.width, height: this.height });
    this.data.copy(png.data);
    return PNG.sync.write(png);
  }
}

/** Width in pixels of `s` at `scale` (no trailing blank column). */
export const textWidth = (s: string, scale = 1): number => (s.length === 0 ? 0 : (s.length * ADVANCE - 1) * scale);

/** `s` cut to at most `max` characters, with `…` shown as `.` at the end when cut. */
export const clip = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, Math.max(1, max - 1))}.`);
