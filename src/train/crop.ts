/**
 * `augment { random-crop HxW }` on training batches: each image's HxW window, at a random offset
 * (drawn from the augmentation stream, so resume repeats it) while augmenting, at the centre
 * otherwise: the same window evaluation uses (src/train/evaluate.ts cropOrigins).
 */
import type { Rng } from "../util/rng.js";

/** Copy each of `n` HxWxC images' (ch x cw) window from `src` into `dst`. */
export function cropBatch(
  src: Float32Array,
  dst: Float32Array,
  n: number,
  shape: readonly [number, number, number],
  crop: readonly [number, number],
  rng: Rng | undefined,
): void {
  const [h, w, c] = shape;
  const [ch, cw] = crop;
  const size = h * w * c, out = ch * cw * c, row = cw * c;
  for (let i = 0; i < n; i++) {
    const top = rng ? rng.int(h - ch + 1) : Math.floor((h - ch) / 2);
    const left = rng ? rng.int(w - cw + 1) : Math.floor((w - cw) / 2);
    for (let y = 0; y < ch; y++) {
      const from = i * size + ((top + y) * w + left) * c;
      dst.set(src.subarray(from, from + row), i * out + y * row);
    }
  }
}
