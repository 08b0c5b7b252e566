/**
 * Antialiased resize of 8-bit images. Browser-safe (no imports): the page of `ferc serve` runs
 * this very file, so it and `ferc predict` compute the same bytes.
 *
 * Each axis is resampled on its own with a linear filter. Shrinking averages areas: an output
 * pixel is the mean of the source it covers, partly covered pixels weighted by the covered
 * fraction (OpenCV's INTER_AREA), so a 512-pixel face becomes 48 pixels without aliasing.
 * Growing interpolates bilinearly with half-pixel centres (a small face still gets a smooth
 * input). Sums run in double precision in a fixed order and round once at the end.
 */

/** One output sample's source pixels and their weights (summing to 1). */
interface Taps {
  readonly index: readonly number[];
  readonly weight: readonly number[];
}

/** The taps of every output sample when `src` samples become `dst`. */
export function axisTaps(src: number, dst: number): Taps[] {
  if (!(src >= 1 && dst >= 1 && Number.isInteger(src) && Number.isInteger(dst))) throw new RangeError(`cannot resample ${src} samples to ${dst}`);
  const scale = src / dst;
  const taps: Taps[] = [];
  for (let i = 0; i < dst; i++) {
    if (src === dst) {
      taps.push({ index: [i], weight: [1] });
    } else if (scale > 1) {
      const from = i * scale, to = (i + 1) * scale;
      const index: number[] = [], weight: number[] = [];
      for (let j = Math.floor(from); j < Math.min(Math.ceil(to), src); j++) {
        const covered = Math.min(to, j + 1) - Math.max(from, j);
        if (covered > 0) {
          index.push(j);
          weight.push(covered / scale);
        }
      }
      taps.push({ index, weight });
    } else {
      const f = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), src - 1);
      const j = Math.floor(f), frac = f - j;
      taps.push(frac > 0 ? { index: [j, j + 1], weight: [1 - frac, frac] } : { index: [j], weight: [1] });
    }
  }
  return taps;
}

/** Resize an interleaved `sw`x`sh`x`c` uint8 image to `dw`x`dh` (area average when shrinking). */
export function resizeArea(src: ArrayLike<number>, sw: number, sh: number, c: number, dw: number, dh: number): Uint8Array {
  if (src.length !== sw * sh * c) throw new RangeError(`expected ${sw}x${sh}x${c} = ${sw * sh * c} values, got ${src.length}`);
  const xs = axisTaps(sw, dw), ys = axisTaps(sh, dh);
  // Rows first: sh rows of dw samples.
  const rows = new Float64Array(sh * dw * c);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < dw; x++) {
      const t = xs[x]!;
      for (let k = 0; k < c; k++) {
        let v = 0;
        for (let q = 0; q < t.index.length; q++) v += t.weight[q]! * src[(y * sw + t.index[q]!) * c + k]!;
        rows[(y * dw + x) * c + k] = v;
      }
    }
  }
  const out = new Uint8Array(dw * dh * c);
  for (let y = 0; y < dh; y++) {
    const t = ys[y]!;
    for (let x = 0; x < dw; x++) {
      for (let k = 0; k < c; k++) {
        let v = 0;
        for (let q = 0; q < t.index.length; q++) v += t.weight[q]! * rows[(t.index[q]! * dw + x) * c + k]!;
        out[(y * dw + x) * c + k] = Math.min(255, Math.max(0, Math.round(v)));
      }
    }
  }
  return out;
}
