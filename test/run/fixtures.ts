/** A tiny spec, generated data and deps for run-level tests (no parser, compiler or CSV). */
import type { SpecIR, TrainIR } from "../../src/ir.js";
import type { LoadedDataset, Split } from "../../src/data/types.js";
import type { RunDeps } from "../../src/run/deps.js";
import { checkSource } from "../../src/check/index.js";
import { makeImages, tinyModel, trainIR } from "../train/helpers.js";

/**
 * The checked IR of the model `toyDeps` builds (tinyModel: conv, batchnorm, relu, pool, dropout,
 * dense), with the given training policy. A real checked spec, because a run record's
 * spec.ir.json is checked as strictly as a spec when it is read back (src/run/recordIr.ts), and
 * its parameter count must be the checkpoint's.
 */
export function tinySpec(train: Partial<TrainIR> = {}, name = "tiny"): SpecIR {
  const checked = checkSource(`spec ${name}
dataset toy {
  source synthetic count 240 seed 1 noise 0.1
  input 8x8x1
  classes a b c
  split { train = usage "Training"; val = usage "PublicTest"; test = usage "PrivateTest" }
  clean { drop blank threshold 0; drop duplicates; test keep }
}
preprocess { scale }
model { conv 3x3 4 same; batchnorm; activation relu; maxpool 2x2; flatten; dropout 0.2; dense 3 softmax }
train { optimizer adam; loss categorical-crossentropy }
`);
  if (!checked.spec) throw new Error(`the fixture spec does not check: ${checked.diagnostics.map((d) => d.message).join("; ")}`);
  return { ...checked.spec, train: trainIR(train) };
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
