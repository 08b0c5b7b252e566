/** Shared by the export and browser tests: short real runs, generated face PNGs, predict output. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { generateSynthetic } from "../../src/data/synthetic.js";
import { ferc } from "../cli/helpers.js";

export const CLASSES = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"] as const;

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `ferc-${tag}-`));
}

/** `ferc run SPEC --epochs N` into `runsDir` (a few seconds on synthetic data); returns the run directory. */
export async function trainShort(spec: string, runsDir: string, epochs = 1, backend?: string): Promise<string> {
  const r = await ferc(["run", spec, "--runs-dir", runsDir, "--epochs", String(epochs), "--plain", ...(backend ? ["--backend", backend] : [])], { timeoutMs: 120_000 });
  const m = /^completed \(\w[\w-]*\) .*; run (\S+)\s*$/m.exec(r.stdout);
  // Exit 1 with a completed record is a failed `expect accuracy` (a short run's accuracy varies
  // with the backend); the model is trained and recorded, which is all these tests need.
  if ((r.code !== 0 && r.code !== 1) || !m) throw new Error(`training ${spec} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  return m[1]!;
}

/** `n` synthetic faces (not FER2013) as 8-bit grey PNGs in `dir`; returns their paths and pixels. */
export function writeFaces(dir: string, n: number, seed: number, size = 48): { paths: string[]; pixels: Uint8Array[] } {
  const imgs = generateSynthetic({ count: Math.max(n, 7), seed, noise: 0.08, input: [size, size, 1], numClasses: 7 });
  const paths: string[] = [], pixels: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const px = imgs.pixels.slice(i * size * size, (i + 1) * size * size);
    paths.push(writeGreyPng(join(dir, `face${seed}-${i}.png`), px, size, size));
    pixels.push(px);
  }
  return { paths, pixels };
}

export function writeGreyPng(path: string, px: Uint8Array, w: number, h: number): string {
  const png = new PNG({ width: w, height: h, colorType: 0 });
  for (let i = 0; i < w * h; i++) {
    png.data[4 * i] = png.data[4 * i + 1] = png.data[4 * i + 2] = px[i]!;
    png.data[4 * i + 3] = 255;
  }
  writeFileSync(path, PNG.sync.write(png, { colorType: 0 }));
  return path;
}

export interface PredictedBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface PredictedFace {
  readonly box: PredictedBox;
  readonly detection?: { readonly box: PredictedBox; readonly score: number };
  readonly probabilities: Record<string, number>;
  readonly top: string;
  readonly input?: string;
}

export interface Predicted {
  readonly image: string;
  readonly width: number;
  readonly height: number;
  readonly detected: boolean;
  readonly faces: PredictedFace[];
}

/** `ferc predict RUN IMAGES --json [extra flags]`. */
export async function predictJson(run: string, images: readonly string[], extra: readonly string[] = []): Promise<Predicted[]> {
  const r = await ferc(["predict", run, ...images, "--json", ...extra], { timeoutMs: 120_000 });
  if (r.code !== 0) throw new Error(`ferc predict failed (exit ${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Predicted[];
}

export const maxAbsDiff = (a: readonly number[], b: readonly number[]): number => {
  if (a.length !== b.length) return Infinity;
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
};
