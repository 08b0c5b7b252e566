/**
 * The most confident mistakes of a run on its test split, grouped by confused pair (true class →
 * predicted class, most frequent pairs first), for the HTML report's gallery. Reads the data the
 * run read (or `--data`) and predicts with its best checkpoint, as `ferc predict` does.
 */
import type { LayersModel } from "@tensorflow/tfjs-layers";
import type { SpecIR } from "../ir.js";
import { datasetLoader } from "./data.js";
import { recordedSourcePath } from "./dataSource.js";
import { openPredictor, openRun } from "./run.js";

export interface Mistake {
  /** Index in the test split. */
  readonly index: number;
  /** The image as stored (0..255, HWC at the spec's input size). */
  readonly pixels: Uint8Array;
  /** The probability the model gave its (wrong) answer. */
  readonly confidence: number;
}

export interface ConfusedPair {
  readonly trueClass: string;
  readonly predicted: string;
  /** All test images of this pair. */
  readonly count: number;
  /** The most confident of them, most confident first. */
  readonly examples: readonly Mistake[];
}

export interface Mistakes {
  readonly n: number;
  readonly wrong: number;
  readonly input: readonly [number, number, number];
  readonly pairs: readonly ConfusedPair[];
}

export interface MistakesOptions {
  readonly buildModel: (spec: SpecIR) => LayersModel;
  /** A data source instead of the recorded one. */
  readonly dataPath?: string;
  /** How many confused pairs (default 6) and examples of each (default 8). */
  readonly pairs?: number;
  readonly perPair?: number;
}

export async function findMistakes(dir: string, o: MistakesOptions): Promise<Mistakes> {
  const run = await openRun(dir);
  const recorded = run.manifest.flags["data"];
  const path = o.dataPath ?? recordedSourcePath(dir, run.manifest) ?? (typeof recorded === "string" ? recorded : undefined);
  const data = await datasetLoader(path !== undefined ? { path } : {})(run.spec.dataset);
  const test = data.test;
  const [h, w, c] = run.spec.dataset.input;
  const size = h * w * c;
  const classes = run.spec.dataset.classes;
  const predictor = await openPredictor(dir, { buildModel: o.buildModel });
  const wrong: { index: number; label: number; pred: number; confidence: number }[] = [];
  try {
    const batch = 256;
    for (let start = 0; start < test.n; start += batch) {
      const m = Math.min(batch, test.n - start);
      // Awaited: prediction may become asynchronous on some backends; a plain value awaits as itself.
      const preds = await predictor.predict(test.pixels.subarray(start * size, (start + m) * size));
      preds.forEach((p, i) => {
        const label = test.labels[start + i]!;
        if (p.top.index !== label) wrong.push({ index: start + i, label, pred: p.top.index, confidence: p.top.probability });
      });
    }
  } finally {
    predictor.dispose();
  }
  const groups = new Map<string, typeof wrong>();
  for (const x of wrong) {
    const key = `${x.label}:${x.pred}`;
    groups.set(key, [...(groups.get(key) ?? []), x]);
  }
  const pairs = [...groups.values()]
    .sort((a, b) => b.length - a.length || a[0]!.label - b[0]!.label || a[0]!.pred - b[0]!.pred)
    .slice(0, o.pairs ?? 6)
    .map((g) => ({
      trueClass: classes[g[0]!.label] ?? String(g[0]!.label),
      predicted: classes[g[0]!.pred] ?? String(g[0]!.pred),
      count: g.length,
      examples: [...g]
        .sort((a, b) => b.confidence - a.confidence || a.index - b.index)
        .slice(0, o.perPair ?? 8)
        .map((x) => ({ index: x.index, pixels: test.pixels.slice(x.index * size, (x.index + 1) * size), confidence: x.confidence })),
    }));
  return { n: test.n, wrong: wrong.length, input: [h, w, c], pairs };
}
