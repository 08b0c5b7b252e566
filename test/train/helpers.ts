/** Shared fixtures: separable toy images and tiny hand-built tfjs-layers models, cpu backend. */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import type { TrainIR } from "../../src/ir.js";
import { createRng } from "../../src/util/rng.js";
import type { ArraySplit } from "../../src/train/evaluate.js";

export async function useCpu(): Promise<void> {
  await tf.setBackend("cpu");
  await tf.ready();
}

export const SHAPE = [8, 8, 1] as const;
export const CLASSES = ["a", "b", "c"] as const;

/** Class c lights up a different 4x4 quadrant; Gaussian noise on top. Clearly separable. */
export function makeImages(n: number, seed: number, counts?: number[]): { x: Float32Array; labels: Uint8Array; pixels: Uint8Array; n: number } {
  const rng = createRng(seed);
  const size = 64;
  const labels = new Uint8Array(n);
  if (counts) {
    let i = 0;
    counts.forEach((cnt, c) => {
      for (let j = 0; j < cnt; j++) labels[i++] = c;
    });
  } else for (let i = 0; i < n; i++) labels[i] = i % 3;
  const x = new Float32Array(n * size);
  const pixels = new Uint8Array(n * size);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    const oy = c === 1 ? 4 : 0;
    const ox = c === 2 ? 4 : 0;
    for (let y = 0; y < 8; y++)
      for (let xx = 0; xx < 8; xx++) {
        const on = y >= oy && y < oy + 4 && xx >= ox && xx < ox + 4 && !(c === 0 && false);
        const v = Math.min(1, Math.max(0, (on ? 0.8 : 0.2) + 0.15 * rng.normal()));
        x[i * size + y * 8 + xx] = v;
        pixels[i * size + y * 8 + xx] = Math.round(v * 255);
      }
  }
  return { x, labels, pixels, n };
}

export function split(n: number, seed: number): ArraySplit {
  const d = makeImages(n, seed);
  return { x: d.x, labels: d.labels, n };
}

export function tinyModel(opts: { bn?: boolean; dropout?: number } = {}): tfl.LayersModel {
  const m = tfl.sequential();
  m.add(tfl.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, padding: "same", name: "block1.conv1" }));
  if (opts.bn !== false) m.add(tfl.layers.batchNormalization({ name: "block1.bn1" }));
  m.add(tfl.layers.activation({ activation: "relu" }));
  m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tfl.layers.flatten());
  if (opts.dropout) m.add(tfl.layers.dropout({ rate: opts.dropout }));
  m.add(tfl.layers.dense({ units: 3, activation: "softmax", name: "out" }));
  return m;
}

export function trainIR(over: Partial<TrainIR> = {}): TrainIR {
  return {
    optimizer: { kind: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
    weightDecay: 0,
    schedule: { kind: "constant" },
    loss: "categorical-crossentropy",
    labelSmoothing: 0,
    batch: 16,
    epochs: 4,
    classWeights: "none",
    seed: 7,
    ...over,
  };
}

export function weightsOf(m: tfl.LayersModel): Float32Array[] {
  return m.weights.map((w) => Float32Array.from(w.read().dataSync() as Float32Array));
}

export function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  let d = 0;
  a.forEach((v, i) => v.forEach((x, j) => (d = Math.max(d, Math.abs(x - b[i]![j]!)))));
  return d;
}
