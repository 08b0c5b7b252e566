/** A tiny spec, generated data and deps for run-level tests (no parser, compiler or CSV). */
import type { SpecIR, TrainIR } from "../../src/ir.js";
import type { LoadedDataset, Split } from "../../src/data/types.js";
import type { RunDeps } from "../../src/run/deps.js";
import { makeImages, tinyModel, trainIR } from "../train/helpers.js";

const span = { offset: 0, length: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };

export function tinySpec(train: Partial<TrainIR> = {}, name = "tiny"): SpecIR {
  return {
    name,
    dataset: {
      name: "toy",
      source: { kind: "synthetic", count: 240, seed: 1, noise: 0.1 },
      input: [8, 8, 1],
      classes: ["a", "b", "c"],
      split: { train: { kind: "usage", value: "Training" }, val: { kind: "usage", value: "PublicTest" }, test: { kind: "usage", value: "PrivateTest" } },
      clean: { dropBlank: true, blankThreshold: 0, dropDuplicates: true, test: "keep" },
    },
    preprocess: { steps: [{ op: "scale" }] },
    augment: { declared: false, rotateDeg: 0, shiftX: 0, shiftY: 0, shearRad: 0, zoom: [1, 1], flipHorizontal: false, cropPadding: 0, erase: 0, fill: "nearest" },
    model: { input: [8, 8, 1], layers: [], output: [3] },
    train: trainIR(train),
    expect: [],
    totals: { trainable: 0, nonTrainable: 0, total: 0 },
  };
}

function split(n: number, seed: number): Split {
  const d = makeImages(n, seed);
  return { n, height: 8, width: 8, channels: 1, pixels: d.pixels, labels: d.labels };
}

export function toyDataset(): LoadedDataset {
  const zero = { train: 0, val: 0, test: 0 };
  return {
    train: split(96, 11),
    val: split(48, 12),
    test: split(48, 13),
    hash: "toyhash0123456789",
    report: {
      source: "toy",
      cache: "off",
      before: { train: 99, val: 48, test: 48 },
      after: { train: 96, val: 48, test: 48 },
      droppedBlank: { train: 2, val: 0, test: 0 },
      droppedDuplicates: { withinSplit: { ...zero, train: 1 }, trainInValOrTest: 0, valTestShared: 0 },
      conversions: { colourToGrey: 0, greyToColour: 0, resized: 0 },
      test: "kept whole",
    },
  };
}

export function toyDeps(opts: { dropout?: number } = {}): RunDeps {
  return {
    buildModel: () => tinyModel({ dropout: opts.dropout ?? 0.2 }),
    loadDataset: async () => toyDataset(),
  };
}
