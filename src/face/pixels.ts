/**
 * Decoded RGBA pixels to the model's channels. Browser-safe (no imports): `ferc serve` sends this
 * module's compiled file to the page, so the page converts colours exactly as `ferc predict` does.
 */

/** An image as a decoder or a canvas gives it: width * height * 4 bytes, RGBA. */
export interface RgbaPixels {
  readonly width: number;
  readonly height: number;
  readonly data: ArrayLike<number>;
}

/** A rectangle of pixels; integer coordinates when it selects pixels. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The pixels of `region` (default: the whole image) as 1 or 3 channels. Grey is ITU-R 601 luma
 * 0.299 R + 0.587 G + 0.114 B, rounded: what FER2013's grey faces and the folder source use.
 */
export function rgbaToChannels(img: RgbaPixels, channels: number, region: Box = { x: 0, y: 0, width: img.width, height: img.height }): Uint8Array {
  const { x: x0, y: y0, width: w, height: h } = region;
  if (x0 < 0 || y0 < 0 || x0 + w > img.width || y0 + h > img.height) {
    throw new RangeError(`region ${w}x${h} at (${x0}, ${y0}) is not inside the ${img.width}x${img.height} image`);
  }
  const out = new Uint8Array(w * h * channels);
  const d = img.data;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x, s = 4 * ((y0 + y) * img.width + x0 + x);
      if (channels === 1) out[i] = Math.round(0.299 * d[s]! + 0.587 * d[s + 1]! + 0.114 * d[s + 2]!);
      else for (let k = 0; k < channels; k++) out[i * channels + k] = d[s + Math.min(k, 2)]!;
    }
  }
  return out;
}
