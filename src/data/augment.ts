/**
 * Training-time augmentation, seeded by an `Rng` so a run is reproducible.
 *
 * Rotation, shift, shear, zoom, horizontal flip and the random crop-with-padding offset are composed
 * into ONE affine map per image and applied with a single bilinear resampling pass (one blur
 * instead of one per transform). Conventions: the forward transform is about the image centre,
 *   out = C + t + R(rot) * Shear(s) * diag(zx, zy) * Flip * (in - C)
 * with zoom > 1 magnifying, t in pixels (positive x = content moves right, y down), and the
 * sampler uses its inverse (output -> input). Pixels that come from outside the image take the
 * nearest edge value (`fill: nearest`) or 0 (`fill: constant`; 0 is black after `scale`, the train
 * mean after dataset standardisation). Crop-with-padding is an integer shift in [-p, p] folded into
 * the same matrix (its padding follows `fill`). Random erasing (Zhong et al. 2017) then blanks, with
 * probability `erase`, one rectangle of 2-33% of the area and aspect 0.3-3.3 to 0.
 */
import type { AugmentIR } from "../ir.js";
import type { Rng } from "../util/rng.js";

export interface AffineParams {
  readonly rotateDeg: number;
  /** Shift in pixels. */
  readonly tx: number;
  readonly ty: number;
  readonly shearRad: number;
  readonly zoomX: number;
  readonly zoomY: number;
  readonly flip: boolean;
}

export const IDENTITY_AFFINE: AffineParams = { rotateDeg: 0, tx: 0, ty: 0, shearRad: 0, zoomX: 1, zoomY: 1, flip: false };

/**
 * The output -> input map [a, b, e, c, d, f]: input x = a*x + b*y + e, input y = c*x + d*y + f,
 * for pixel centres at integer coordinates.
 */
export function inverseAffine(p: AffineParams, h: number, w: number): Float64Array {
  const cx = (w - 1) / 2, cy = (h - 1) / 2;
  const th = (p.rotateDeg * Math.PI) / 180;
  const cos = Math.cos(th), sin = Math.sin(th);
  const fl = p.flip ? -1 : 1;
  // A = R * Shear * Z * Flip, Shear = [[1, -sin s], [0, cos s]] (the Keras shear matrix).
  const s00 = 1, s01 = -Math.sin(p.shearRad), s11 = Math.cos(p.shearRad);
  const rs00 = cos * s00, rs01 = cos * s01 - sin * s11;
  const rs10 = sin * s00, rs11 = sin * s01 + cos * s11;
  const a00 = rs00 * p.zoomX * fl, a01 = rs01 * p.zoomY;
  const a10 = rs10 * p.zoomX * fl, a11 = rs11 * p.zoomY;
  const det = a00 * a11 - a01 * a10;
  if (!(Math.abs(det) > 1e-12)) throw new RangeError("augmentation transform is singular (zoom 0 or shear ±90°?)");
  const i00 = a11 / det, i01 = -a01 / det, i10 = -a10 / det, i11 = a00 / det;
  // in = C + inv * (out - C - t)
  const ox = cx + p.tx, oy = cy + p.ty;
  return Float64Array.of(i00, i01, cx - (i00 * ox + i01 * oy), i10, i11, cy - (i10 * ox + i11 * oy));
}

/** Resample one HWC image through the output -> input map `m`, bilinear. */
export function warpAffine(
  src: Float32Array, srcOff: number, dst: Float32Array, dstOff: number,
  h: number, w: number, c: number, m: Float64Array, fill: "nearest" | "constant",
): void {
  const [a, b, e, cc, d, f] = m as unknown as [number, number, number, number, number, number];
  const nearest = fill === "nearest";
  if (c === 1) {
    warpGrey(src, srcOff, dst, dstOff, h, w, a, b, e, cc, d, f, nearest);
    return;
  }
  const row = w * c;
  for (let y = 0; y < h; y++) {
    let sx = b * y + e, sy = d * y + f;
    for (let x = 0; x < w; x++, sx += a, sy += cc) {
      const o = dstOff + (y * w + x) * c;
      let fx = sx, fy = sy;
      if (nearest) {
        fx = fx < 0 ? 0 : fx > w - 1 ? w - 1 : fx;
        fy = fy < 0 ? 0 : fy > h - 1 ? h - 1 : fy;
      } else if (fx <= -1 || fy <= -1 || fx >= w || fy >= h) {
        for (let k = 0; k < c; k++) dst[o + k] = 0;
        continue;
      }
      const x0 = Math.floor(fx), y0 = Math.floor(fy);
      const wx = fx - x0, wy = fy - y0;
      if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h) {
        const p = srcOff + y0 * row + x0 * c;
        for (let k = 0; k < c; k++) {
          const p00 = src[p + k]!, p01 = src[p + c + k]!, p10 = src[p + row + k]!, p11 = src[p + row + c + k]!;
          const top = p00 + (p01 - p00) * wx, bot = p10 + (p11 - p10) * wx;
          dst[o + k] = top + (bot - top) * wy;
        }
      } else {
        // Border: neighbours outside the image are 0 (constant) or clamped (nearest; fx, fy already clamped).
        const x1 = x0 + 1, y1 = y0 + 1;
        for (let k = 0; k < c; k++) {
          const at = (xx: number, yy: number): number => {
            if (xx < 0 || yy < 0 || xx >= w || yy >= h) {
              if (!nearest) return 0;
              xx = xx < 0 ? 0 : xx >= w ? w - 1 : xx;
              yy = yy < 0 ? 0 : yy >= h ? h - 1 : yy;
            }
            return src[srcOff + yy * row + xx * c + k]!;
          };
          const p00 = at(x0, y0), p01 = at(x1, y0), p10 = at(x0, y1), p11 = at(x1, y1);
          const top = p00 + (p01 - p00) * wx, bot = p10 + (p11 - p10) * wx;
          dst[o + k] = top + (bot - top) * wy;
        }
      }
    }
  }
}

/** warpAffine for one channel (the FER case), without the per-channel loop. */
function warpGrey(
  src: Float32Array, srcOff: number, dst: Float32Array, dstOff: number, h: number, w: number,
  a: number, b: number, e: number, cc: number, d: number, f: number, nearest: boolean,
): void {
  const xMax = w - 1, yMax = h - 1;
  for (let y = 0; y < h; y++) {
    let sx = b * y + e, sy = d * y + f;
    let o = dstOff + y * w;
    for (let x = 0; x < w; x++, sx += a, sy += cc, o++) {
      let fx = sx, fy = sy;
      if (nearest) {
        fx = fx < 0 ? 0 : fx > xMax ? xMax : fx;
        fy = fy < 0 ? 0 : fy > yMax ? yMax : fy;
      } else if (fx <= -1 || fy <= -1 || fx >= w || fy >= h) {
        dst[o] = 0;
        continue;
      }
      const x0 = Math.floor(fx), y0 = Math.floor(fy);
      const wx = fx - x0, wy = fy - y0;
      let p00: number, p01: number, p10: number, p11: number;
      if (x0 >= 0 && y0 >= 0 && x0 < xMax && y0 < yMax) {
        const p = srcOff + y0 * w + x0;
        p00 = src[p]!; p01 = src[p + 1]!; p10 = src[p + w]!; p11 = src[p + w + 1]!;
      } else {
        // Border: outside neighbours are 0 (constant) or the clamped edge (nearest).
        const x1 = x0 + 1, y1 = y0 + 1;
        const inX0 = x0 >= 0 && x0 <= xMax, inX1 = x1 >= 0 && x1 <= xMax, inY0 = y0 >= 0 && y0 <= yMax, inY1 = y1 >= 0 && y1 <= yMax;
        if (nearest) {
          const cx0 = x0 < 0 ? 0 : x0 > xMax ? xMax : x0, cx1 = x1 < 0 ? 0 : x1 > xMax ? xMax : x1;
          const cy0 = y0 < 0 ? 0 : y0 > yMax ? yMax : y0, cy1 = y1 < 0 ? 0 : y1 > yMax ? yMax : y1;
          p00 = src[srcOff + cy0 * w + cx0]!; p01 = src[srcOff + cy0 * w + cx1]!;
          p10 = src[srcOff + cy1 * w + cx0]!; p11 = src[srcOff + cy1 * w + cx1]!;
        } else {
          p00 = inX0 && inY0 ? src[srcOff + y0 * w + x0]! : 0;
          p01 = inX1 && inY0 ? src[srcOff + y0 * w + x1]! : 0;
          p10 = inX0 && inY1 ? src[srcOff + y1 * w + x0]! : 0;
          p11 = inX1 && inY1 ? src[srcOff + y1 * w + x1]! : 0;
        }
      }
      const top = p00 + (p01 - p00) * wx, bot = p10 + (p11 - p10) * wx;
      dst[o] = top + (bot - top) * wy;
    }
  }
}

const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng.next();

/** Draw one image's transform from the augmentation ranges (crop offset included in tx/ty). */
export function sampleAffine(ir: AugmentIR, rng: Rng, h: number, w: number): AffineParams {
  let tx = ir.shiftX > 0 ? uniform(rng, -ir.shiftX, ir.shiftX) * w : 0;
  let ty = ir.shiftY > 0 ? uniform(rng, -ir.shiftY, ir.shiftY) * h : 0;
  if (ir.cropPadding > 0) {
    tx += rng.int(2 * ir.cropPadding + 1) - ir.cropPadding;
    ty += rng.int(2 * ir.cropPadding + 1) - ir.cropPadding;
  }
  const [z0, z1] = ir.zoom;
  return {
    rotateDeg: ir.rotateDeg > 0 ? uniform(rng, -ir.rotateDeg, ir.rotateDeg) : 0,
    tx,
    ty,
    shearRad: ir.shearRad > 0 ? uniform(rng, -ir.shearRad, ir.shearRad) : 0,
    zoomX: z0 !== z1 ? uniform(rng, z0, z1) : z0,
    zoomY: z0 !== z1 ? uniform(rng, z0, z1) : z0,
    flip: ir.flipHorizontal ? rng.next() < 0.5 : false,
  };
}

function isIdentity(p: AffineParams): boolean {
  return p.rotateDeg === 0 && p.tx === 0 && p.ty === 0 && p.shearRad === 0 && p.zoomX === 1 && p.zoomY === 1 && !p.flip;
}

/** Random erasing: with probability `prob`, zero one random rectangle of the image at `off`. */
export function randomErase(img: Float32Array, off: number, h: number, w: number, c: number, prob: number, rng: Rng): void {
  if (prob <= 0 || rng.next() >= prob) return;
  for (let attempt = 0; attempt < 10; attempt++) {
    const area = uniform(rng, 0.02, 0.33) * h * w;
    const aspect = Math.exp(uniform(rng, Math.log(0.3), Math.log(3.3)));
    const eh = Math.round(Math.sqrt(area * aspect)), ew = Math.round(Math.sqrt(area / aspect));
    if (eh < 1 || ew < 1 || eh >= h || ew >= w) continue;
    const y0 = rng.int(h - eh + 1), x0 = rng.int(w - ew + 1);
    for (let y = y0; y < y0 + eh; y++) img.fill(0, off + (y * w + x0) * c, off + (y * w + x0 + ew) * c);
    return;
  }
}

/**
 * Augment n HWC float images from `src` into `dst` (both n*h*w*c; they must not overlap).
 * Each image gets its own transform drawn from `rng`.
 */
export function augmentBatch(src: Float32Array, dst: Float32Array, n: number, h: number, w: number, c: number, ir: AugmentIR, rng: Rng): void {
  const size = h * w * c;
  if (src.length < n * size || dst.length < n * size) throw new RangeError(`augmentBatch: buffers hold fewer than ${n} images of ${h}x${w}x${c}`);
  for (let i = 0; i < n; i++) {
    const off = i * size;
    const p = sampleAffine(ir, rng, h, w);
    if (isIdentity(p)) dst.set(src.subarray(off, off + size), off);
    else warpAffine(src, off, dst, off, h, w, c, inverseAffine(p, h, w), ir.fill);
    randomErase(dst, off, h, w, c, ir.erase, rng);
  }
}
