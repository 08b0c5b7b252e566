import { describe, expect, it } from "vitest";
import { augmentBatch, IDENTITY_AFFINE, inverseAffine, randomErase, warpAffine } from "../../src/data/index.js";
import type { AugmentIR } from "../../src/ir.js";
import { createRng } from "../../src/util/rng.js";

const H = 16, W = 20;
const OFF: AugmentIR = { declared: true, rotateDeg: 0, shiftX: 0, shiftY: 0, shearRad: 0, zoom: [1, 1], flipHorizontal: false, cropPadding: 0, erase: 0, fill: "constant" };
const FULL: AugmentIR = { ...OFF, rotateDeg: 15, shiftX: 0.1, shiftY: 0.1, shearRad: 0.1, zoom: [0.9, 1.1], flipHorizontal: true, cropPadding: 2, erase: 0.5, fill: "nearest" };

function randomImages(n: number, c = 1, seed = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * H * W * c }, () => rng.next());
}

/** An image with a bright square blob at (x0..x0+s, y0..y0+s) on black. */
function blob(x0: number, y0: number, s = 4): Float32Array {
  const img = new Float32Array(H * W);
  for (let y = y0; y < y0 + s; y++) for (let x = x0; x < x0 + s; x++) img[y * W + x] = 1;
  return img;
}

function centreOfMass(img: Float32Array): [number, number] {
  let m = 0, mx = 0, my = 0;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const v = img[y * W + x]!;
    m += v; mx += v * x; my += v * y;
  }
  return [mx / m, my / m];
}

const warp = (src: Float32Array, p: Partial<typeof IDENTITY_AFFINE>, c = 1, fill: "nearest" | "constant" = "constant"): Float32Array => {
  const dst = new Float32Array(src.length);
  warpAffine(src, 0, dst, 0, H, W, c, inverseAffine({ ...IDENTITY_AFFINE, ...p }, H, W), fill);
  return dst;
};

describe("augmentation", () => {
  it("identity parameters give the identity, exactly", () => {
    const src = randomImages(3);
    const dst = new Float32Array(src.length);
    augmentBatch(src, dst, 3, H, W, 1, OFF, createRng(1));
    expect(dst).toEqual(src);
    expect(warp(src.subarray(0, H * W), {})).toEqual(src.subarray(0, H * W));
    const rgb = randomImages(1, 3);
    expect(warp(rgb, {}, 3)).toEqual(rgb);
  });

  it("flipping twice is the identity, and a flip mirrors columns", () => {
    const src = randomImages(1);
    const once = warp(src, { flip: true });
    expect(once[0]).toBe(src[W - 1]);
    expect(once[W + 3]).toBe(src[W + W - 4]);
    expect(warp(once, { flip: true })).toEqual(src);
  });

  it("a shift moves the centre of mass by the shift", () => {
    const src = blob(6, 5);
    const [cx, cy] = centreOfMass(src);
    for (const [tx, ty] of [[3, 0], [0, -2], [2.5, 1.5], [-4, 3]] as const) {
      const [nx, ny] = centreOfMass(warp(src, { tx, ty }));
      expect(nx - cx).toBeCloseTo(tx, 5);
      expect(ny - cy).toBeCloseTo(ty, 5);
    }
  });

  it("rotation and zoom about the centre keep a centred blob's centre; 90° rotation maps exactly", () => {
    const src = blob(8, 6); // centre (9.5, 7.5) = image centre
    for (const p of [{ rotateDeg: 30 }, { zoomX: 1.3, zoomY: 0.8 }, { shearRad: 0.2 }]) {
      const [x, y] = centreOfMass(warp(src, p));
      expect(x).toBeCloseTo(9.5, 4);
      expect(y).toBeCloseTo(7.5, 4);
    }
    const sq = new Float32Array(H * W);
    sq[7 * W + 12] = 1; // 2.5 right of centre, -0.5 above
    const r = warp(sq, { rotateDeg: 90 });
    const [x, y] = centreOfMass(r);
    expect(x).toBeCloseTo(9.5 + 0.5, 4); // (dx, dy) = (2.5, -0.5) -> (0.5, 2.5)
    expect(y).toBeCloseTo(7.5 + 2.5, 4);
  });

  it("the single-channel fast path matches the general multi-channel path", () => {
    const grey = randomImages(1, 1, 9);
    const rgb = new Float32Array(grey.length * 3);
    grey.forEach((v, i) => rgb.fill(v, 3 * i, 3 * i + 3));
    for (const fill of ["nearest", "constant"] as const) {
      const p = { rotateDeg: 17, tx: 2.3, ty: -1.7, shearRad: 0.1, zoomX: 0.9, zoomY: 1.2, flip: true };
      const g = warp(grey, p, 1, fill), c = warp(rgb, p, 3, fill);
      g.forEach((v, i) => expect(c[3 * i + 1]).toBeCloseTo(v, 6));
    }
  });

  it("fill: constant brings in zeros, nearest repeats the edge", () => {
    const ones = new Float32Array(H * W).fill(1);
    const c = warp(ones, { tx: 5 }, 1, "constant");
    const n = warp(ones, { tx: 5 }, 1, "nearest");
    expect(c[0]).toBe(0);
    expect(c[W - 1]).toBe(1);
    expect(n.every((v) => v === 1)).toBe(true);
  });

  it("is deterministic for a seed, differs across seeds, and stays in the input's range", () => {
    const src = randomImages(8);
    const a = new Float32Array(src.length), b = new Float32Array(src.length), c = new Float32Array(src.length);
    augmentBatch(src, a, 8, H, W, 1, FULL, createRng(5));
    augmentBatch(src, b, 8, H, W, 1, FULL, createRng(5));
    augmentBatch(src, c, 8, H, W, 1, FULL, createRng(6));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it("random erasing zeroes one rectangle of 2-33% of the image when it fires", () => {
    const rng = createRng(3);
    for (let k = 0; k < 20; k++) {
      const img = new Float32Array(H * W).fill(1);
      randomErase(img, 0, H, W, 1, 1, rng);
      const zeros = img.filter((v) => v === 0).length;
      expect(zeros).toBeGreaterThan(0);
      expect(zeros).toBeLessThanOrEqual(Math.ceil(0.4 * H * W));
    }
    const img = new Float32Array(H * W).fill(1);
    randomErase(img, 0, H, W, 1, 0, rng);
    expect(img.every((v) => v === 1)).toBe(true);
  });
});
