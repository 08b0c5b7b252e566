/** From the data pipeline's splits to the trainer's preprocessed arrays and display summaries. */
import type { LoadedDataset, Split } from "../data/types.js";
import type { ArraySplit, ImageShape } from "../train/evaluate.js";
import type { CleaningSummary } from "../train/events.js";
import { classCounts } from "../train/classWeights.js";
import type { PreprocessFns, PreprocessStats } from "./deps.js";
import type { ClassDistribution } from "../report/plots.js";

export interface PreparedData {
  readonly train: ArraySplit;
  readonly val: ArraySplit;
  readonly test: ArraySplit;
  readonly shape: ImageShape;
}

function toArrays(s: Split, stats: PreprocessStats, pre: PreprocessFns): ArraySplit {
  return { x: pre.applyPreprocess(s.pixels, stats), labels: s.labels, n: s.n };
}

export function prepareData(data: LoadedDataset, stats: PreprocessStats, pre: PreprocessFns): PreparedData {
  const t = data.train;
  return {
    train: toArrays(data.train, stats, pre),
    val: toArrays(data.val, stats, pre),
    test: toArrays(data.test, stats, pre),
    shape: [t.height, t.width, t.channels],
  };
}

export function cleaningSummary(data: LoadedDataset): CleaningSummary {
  const r = data.report;
  const sum = (p: { train: number; val: number; test: number }) => p.train + p.val + p.test;
  const other: Record<string, number> = {};
  const conv = r.conversions;
  if (conv.colourToGrey) other["colour→grey"] = conv.colourToGrey;
  if (conv.greyToColour) other["grey→colour"] = conv.greyToColour;
  if (conv.resized) other["resized"] = conv.resized;
  return {
    blank: sum(r.droppedBlank),
    duplicates: sum(r.droppedDuplicates.withinSplit) + r.droppedDuplicates.trainInValOrTest,
    ...(Object.keys(other).length ? { other } : {}),
  };
}

export function classDistribution(data: LoadedDataset, classes: readonly string[]): ClassDistribution {
  const k = classes.length;
  return {
    classes,
    train: classCounts(data.train.labels, k),
    val: classCounts(data.val.labels, k),
    test: classCounts(data.test.labels, k),
  };
}
