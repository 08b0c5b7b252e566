/**
 * Synthetic faces: a procedural stand-in for FER2013 so specs, tests and CI can train end to end
 * without the real data. Each image is a grey face drawn at the input size from per-class
 * expression parameters (brow angle/height, eye opening, mouth curve/openness/width/asymmetry)
 * jittered per image, under a random pose (shift, rotation, scale), lighting (skin/background level
 * and a linear gradient) and Gaussian pixel noise (std = `noise` in 0..1 intensity units).
 *
 * The class jitter is tuned so that classes overlap a little (neighbouring expressions like
 * angry/disgust or fear/surprise share features) while a small convnet still separates them.
 *
 * Classes are balanced (count/7 each, remainder to the first classes) and every class is split
 * 80/10/10 into three pools named like FER2013's Usage values: Training, PublicTest, PrivateTest.
 * Split rules select pools: `usage "Training"|"PublicTest"|"PrivateTest"` directly, folder rules
 * `train`, `val`/`validation`, `test` as aliases of those; `fraction` rules carve from train as for
 * any source. Everything is a pure function of (count, seed, noise, input size).
 */
import { createRng, type Rng } from "../util/rng.js";
import type { SourceImages } from "./types.js";

export const SYNTHETIC_VERSION = 2;
export const SYNTHETIC_POOLS = ["Training", "PublicTest", "PrivateTest"] as const;
const POOL_FRACTIONS = [0.8, 0.1, 0.1];

/** Per-class mean expression parameters, in face units (face half-height = 1, y down). */
interface Expression {
  eyeOpen: number; // eye half-height
  browInner: number; // vertical offset of the brow's inner end (negative = raised)
  browOuter: number;
  mouthCurve: number; // corners raised by this much (positive = smile)
  mouthOpen: number; // gap between the lips at the centre
  mouthWidth: number; // half-width
  mouthAsym: number; // one corner raised relative to the other (disgust sneer)
  wrinkle: number; // darkness of nose wrinkles 0..1
}

// Order matches FER2013: angry disgust fear happy sad surprise neutral.
const EXPRESSIONS: readonly Expression[] = [
  { eyeOpen: 0.06, browInner: 0.12, browOuter: -0.04, mouthCurve: -0.04, mouthOpen: 0.0, mouthWidth: 0.27, mouthAsym: 0, wrinkle: 0.2 },
  { eyeOpen: 0.05, browInner: 0.07, browOuter: 0.03, mouthCurve: -0.07, mouthOpen: 0.05, mouthWidth: 0.24, mouthAsym: 0.09, wrinkle: 0.8 },
  { eyeOpen: 0.13, browInner: -0.12, browOuter: 0.0, mouthCurve: -0.04, mouthOpen: 0.09, mouthWidth: 0.36, mouthAsym: 0, wrinkle: 0 },
  { eyeOpen: 0.07, browInner: 0.0, browOuter: 0.0, mouthCurve: 0.15, mouthOpen: 0.05, mouthWidth: 0.36, mouthAsym: 0, wrinkle: 0 },
  { eyeOpen: 0.07, browInner: -0.1, browOuter: 0.07, mouthCurve: -0.13, mouthOpen: 0.0, mouthWidth: 0.27, mouthAsym: 0, wrinkle: 0 },
  { eyeOpen: 0.14, browInner: -0.17, browOuter: -0.15, mouthCurve: 0.0, mouthOpen: 0.24, mouthWidth: 0.17, mouthAsym: 0, wrinkle: 0 },
  { eyeOpen: 0.09, browInner: 0.0, browOuter: 0.0, mouthCurve: 0.0, mouthOpen: 0.0, mouthWidth: 0.3, mouthAsym: 0, wrinkle: 0 },
];

/** Per-image jitter (std) of each expression parameter. */
const JITTER: Expression = { eyeOpen: 0.018, browInner: 0.035, browOuter: 0.035, mouthCurve: 0.035, mouthOpen: 0.025, mouthWidth: 0.035, mouthAsym: 0.02, wrinkle: 0.15 };

const NOISE_TABLE_SIZE = 1 << 16;

/** Coverage of a band |d| < half, anti-aliased over one pixel (d and half in pixels). */
function band(dPx: number, halfPx: number): number {
  const c = halfPx - Math.abs(dPx) + 0.5;
  return c <= 0 ? 0 : c >= 1 ? 1 : c;
}

/** Distance from (u, v) to the segment (ax, ay)-(bx, by). */
function segmentDistance(u: number, v: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  let t = ((u - ax) * dx + (v - ay) * dy) / (dx * dx + dy * dy);
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = u - ax - t * dx, ey = v - ay - t * dy;
  return Math.sqrt(ex * ex + ey * ey);
}

interface FaceParams extends Expression {
  cx: number; cy: number; radius: number; cos: number; sin: number;
  skin: number; background: number; gradX: number; gradY: number;
  eyeX: number; eyeY: number; browY: number; mouthY: number; browThick: number;
}

function sampleFace(rng: Rng, cls: number, h: number, w: number): FaceParams {
  const e = EXPRESSIONS[cls]!;
  const j = (k: keyof Expression): number => e[k] + JITTER[k] * rng.normal();
  const size = Math.min(h, w);
  const angle = ((rng.next() * 2 - 1) * 12 * Math.PI) / 180;
  const skin = 120 + rng.next() * 90;
  return {
    eyeOpen: Math.max(0.015, j("eyeOpen")),
    browInner: j("browInner"),
    browOuter: j("browOuter"),
    mouthCurve: j("mouthCurve"),
    mouthOpen: Math.max(0, j("mouthOpen")),
    mouthWidth: Math.max(0.12, j("mouthWidth")),
    mouthAsym: j("mouthAsym") * (rng.next() < 0.5 ? -1 : 1),
    wrinkle: Math.min(1, Math.max(0, j("wrinkle"))),
    cx: w / 2 + (rng.next() * 2 - 1) * 0.07 * size,
    cy: h / 2 + (rng.next() * 2 - 1) * 0.07 * size,
    radius: size * (0.36 + rng.next() * 0.08),
    cos: Math.cos(angle),
    sin: Math.sin(angle),
    skin,
    background: 20 + rng.next() * 100,
    gradX: (rng.next() * 2 - 1) * 50,
    gradY: (rng.next() * 2 - 1) * 50,
    eyeX: 0.3 + rng.normal() * 0.02,
    eyeY: -0.18 + rng.normal() * 0.02,
    browY: -0.42 + rng.normal() * 0.02,
    mouthY: 0.45 + rng.normal() * 0.03,
    browThick: 0.04 + rng.next() * 0.02,
  };
}

/** Draw one face into `out` (h*w grey bytes at `offset`). */
function drawFace(out: Uint8Array, offset: number, h: number, w: number, f: FaceParams, noise: Float32Array, rng: Rng, noiseStd: number): void {
  const R = f.radius;
  const eyeW = 0.13;
  // Noise: walk the shared normal table from a random start with a random odd stride (one draw per
  // image instead of one per pixel; an odd stride visits every entry before repeating).
  let noiseAt = rng.int(NOISE_TABLE_SIZE);
  const noiseStride = 2 * rng.int(NOISE_TABLE_SIZE / 2) + 1;
  const outside = (1.05 * R + 1) ** 2; // beyond this squared distance from the centre: background only
  for (let py = 0; py < h; py++) {
    for (let px = 0; px < w; px++) {
      const dx = px + 0.5 - f.cx, dy = py + 0.5 - f.cy;
      // Face coordinates: rotate into the face frame and scale so the face half-height is 1.
      const u = (f.cos * dx + f.sin * dy) / R;
      const v = (-f.sin * dx + f.cos * dy) / R;
      let value = f.background + f.gradX * (px / w - 0.5) + f.gradY * (py / h - 0.5);
      if (dx * dx + dy * dy > outside) {
        value += noiseStd * noise[(noiseAt += noiseStride) & (NOISE_TABLE_SIZE - 1)]!;
        out[offset + py * w + px] = value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
        continue;
      }
      const rFace = Math.sqrt((u / 0.78) * (u / 0.78) + v * v);
      const faceCover = band((rFace - 0.5) * R, 0.5 * R); // inside the ellipse rFace < 1, soft edge
      if (faceCover > 0) {
        let ink = 0; // 0 = skin, 1 = dark feature
        const au = Math.abs(u);
        // Eyes.
        const ex = (au - f.eyeX) / eyeW, ey = (v - f.eyeY) / f.eyeOpen;
        if (ex * ex + ey * ey < 1) ink = Math.max(ink, 0.85);
        // Brows (mirror-symmetric; inner end near the centre line).
        if (v < f.eyeY && v > f.browY - 0.35) {
          const d = segmentDistance(au, v, 0.1, f.browY + f.browInner, 0.5, f.browY + f.browOuter);
          ink = Math.max(ink, 0.9 * band(d * R, f.browThick * R));
        }
        // Nose and disgust wrinkles.
        if (v > -0.1 && v < 0.25 && au < 0.12) {
          ink = Math.max(ink, 0.35 * band((v - 0.18) * R, 0.03 * R) * band(au * R, 0.08 * R));
          if (f.wrinkle > 0 && v < 0.05) ink = Math.max(ink, f.wrinkle * 0.7 * band((au - 0.07) * R, 0.02 * R));
        }
        // Mouth: centre curve with raised corners (curve), asymmetry, and an open gap.
        if (au < f.mouthWidth + 0.05 && v > f.mouthY - 0.35 && v < f.mouthY + 0.35) {
          const t = u / f.mouthWidth;
          if (t > -1 && t < 1) {
            const centre = f.mouthY - f.mouthCurve * t * t + f.mouthAsym * t;
            const gap = 0.5 * f.mouthOpen * Math.sqrt(1 - t * t);
            const d = Math.max(0, Math.abs(v - centre) - gap);
            ink = Math.max(ink, 0.95 * band(d * R, 0.035 * R));
          }
        }
        value = value * (1 - faceCover) + f.skin * faceCover * (1 - ink) + 15 * ink * faceCover;
      }
      value += noiseStd * noise[(noiseAt += noiseStride) & (NOISE_TABLE_SIZE - 1)]!;
      out[offset + py * w + px] = value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
    }
  }
}

export interface SyntheticOptions {
  readonly count: number;
  readonly seed: number;
  /** Gaussian noise std in 0..1 intensity units (0.05 = about 13 grey levels). */
  readonly noise: number;
  readonly input: readonly [number, number, number];
  readonly numClasses: number;
}

/** Generate `count` balanced faces in three pools; deterministic in the options. */
export function generateSynthetic(opts: SyntheticOptions): SourceImages {
  const [h, w, c] = opts.input;
  const k = Math.min(opts.numClasses, EXPRESSIONS.length);
  if (opts.numClasses > EXPRESSIONS.length) throw new RangeError(`synthetic source draws at most ${EXPRESSIONS.length} classes, spec has ${opts.numClasses}`);
  const rng = createRng(opts.seed);
  const noise = new Float32Array(NOISE_TABLE_SIZE);
  for (let i = 0; i < NOISE_TABLE_SIZE; i++) noise[i] = rng.normal();
  // Balanced classes, each split 80/10/10 into pools, then interleaved in a seeded order.
  const order: [number, number][] = [];
  for (let cls = 0; cls < k; cls++) {
    const nc = Math.floor(opts.count / k) + (cls < opts.count % k ? 1 : 0);
    const nTrain = Math.round(nc * POOL_FRACTIONS[0]!), nVal = Math.round(nc * POOL_FRACTIONS[1]!);
    for (let i = 0; i < nc; i++) order.push([cls, i < nTrain ? 0 : i < nTrain + nVal ? 1 : 2]);
  }
  rng.shuffle(order);
  const n = order.length;
  const rowSize = h * w * c;
  const pixels = new Uint8Array(n * rowSize);
  const labels = new Uint8Array(n);
  const groups = new Uint8Array(n);
  const grey = c === 1 ? pixels : new Uint8Array(h * w);
  const noiseStd = opts.noise * 255;
  for (let i = 0; i < n; i++) {
    const [cls, pool] = order[i]!;
    labels[i] = cls;
    groups[i] = pool;
    const face = sampleFace(rng, cls, h, w);
    drawFace(grey, c === 1 ? i * rowSize : 0, h, w, face, noise, rng, noiseStd);
    if (c !== 1) for (let p = 0; p < h * w; p++) for (let ch = 0; ch < c; ch++) pixels[i * rowSize + p * c + ch] = grey[p]!;
  }
  return {
    n, height: h, width: w, channels: c, pixels, labels, groups,
    groupNames: [...SYNTHETIC_POOLS],
    groupFirstRow: [-1, -1, -1],
    conversions: { colourToGrey: 0, greyToColour: 0, resized: 0 },
  };
}
