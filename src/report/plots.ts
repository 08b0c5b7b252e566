/** The run's four plots, from epoch history, class counts and the test evaluation. */
import type { EpochMetrics, EvalResult } from "../train/events.js";
import { confusionSvg, groupedBarsSvg, lineChart, type Series } from "./svg.js";

function series(history: readonly EpochMetrics[], name: string, pick: (m: EpochMetrics) => number | undefined, dashed = false): Series | null {
  const points = history.flatMap((m) => {
    const v = pick(m);
    return v === undefined ? [] : [[m.epoch, v] as const];
  });
  return points.length ? { name, points, dashed } : null;
}

function marker(bestEpoch: number): { x: number; label: string } | undefined {
  return bestEpoch > 0 ? { x: bestEpoch, label: `best (epoch ${bestEpoch})` } : undefined;
}

export function lossSvg(history: readonly EpochMetrics[], bestEpoch: number, spec: string): string {
  return lineChart({
    title: `Loss — ${spec}`,
    xLabel: "Epoch",
    yLabel: "Cross-entropy loss",
    series: [series(history, "train loss", (m) => m.loss), series(history, "val loss", (m) => m.valLoss, true)].filter((s): s is Series => s !== null),
    marker: marker(bestEpoch),
  });
}

export function accuracySvg(history: readonly EpochMetrics[], bestEpoch: number, spec: string): string {
  return lineChart({
    title: `Accuracy — ${spec}`,
    xLabel: "Epoch",
    yLabel: "Accuracy",
    yDomain: [0, 1],
    series: [series(history, "train acc", (m) => m.acc), series(history, "val acc", (m) => m.valAcc, true)].filter((s): s is Series => s !== null),
    marker: marker(bestEpoch),
  });
}

export function confusionPlot(result: EvalResult): string {
  return confusionSvg(result.confusion, result.classes, `Confusion matrix (${result.split}, n=${result.n})`);
}

export interface ClassDistribution {
  readonly classes: readonly string[];
  readonly train: readonly number[];
  readonly val: readonly number[];
  readonly test: readonly number[];
}

export function classesSvg(d: ClassDistribution, spec: string): string {
  return groupedBarsSvg({
    title: `Class distribution per split — ${spec}`,
    categories: d.classes,
    yLabel: "Images",
    groups: [
      { name: "train", values: d.train },
      { name: "val", values: d.val },
      { name: "test", values: d.test },
    ],
  });
}
