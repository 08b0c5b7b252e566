import { describe, expect, it } from "vitest";
import { vocabularyMarkdown } from "../../src/check/vocabulary.js";
import { checkSource } from "../../src/check/index.js";
import { SETTING_ORDER } from "../../src/format/order.js";
import { VOCAB } from "../../src/fuzz/mutate.js";
import type { Diagnostic } from "../../src/diagnostics.js";
import type { AugmentIR, TrainIR } from "../../src/ir.js";
import { AUGMENT, NO_AUGMENT } from "../../src/sections/augment.js";
import { checkDataset, datasetFromIR } from "../../src/sections/dataset.js";
import { allSections, SECTION_NAMES, SECTIONS } from "../../src/sections/registry.js";
import { checkSection, fromIR, type SectionSchema } from "../../src/schema/section.js";
import { TRAIN, TRAIN_DEFAULTS } from "../../src/sections/train.js";
import { PREPROCESS } from "../../src/sections/preprocess.js";
import { stmt } from "../../src/schema/build.js";
import { printDocument } from "../../src/format/print.js";
import { parse } from "../../src/syntax/parser.js";

/** IR → statements → text → parse → check: the schema's two directions agree. */
function roundTrip<D, R>(schema: SectionSchema<D, R>, ir: R): { ir: D; ds: Diagnostic[] } {
  const text = printDocument([stmt(schema.name, [], fromIR(schema, ir))]);
  const block = parse(text).document.statements[0]!.block;
  const ds: Diagnostic[] = [];
  return { ir: checkSection(schema, block, { ds, numClasses: 7 }).ir, ds };
}

describe("section schemas", () => {
  it("list the spec's sections in canonical order, required ones marked", () => {
    expect(SECTION_NAMES).toEqual(["spec", "dataset", "preprocess", "augment", "model", "train", "expect", "sweep"]);
    expect(SECTIONS.filter((s) => s.required).map((s) => s.info.name)).toEqual(["spec", "dataset", "model", "train"]);
  });

  it("give fmt its orders: dataset, its split and train are sorted, nothing else", () => {
    expect(Object.keys(SETTING_ORDER).sort()).toEqual(["dataset", "split", "train"]);
    expect(SETTING_ORDER["train"]![0]).toBe("optimizer");
    expect(SETTING_ORDER["train"]!.at(-1)).toBe("seed");
  });

  const trains: [string, TrainIR][] = [
    ["defaults", TRAIN_DEFAULTS],
    [
      "every setting",
      {
        optimizer: { kind: "sgd", lr: 0.05, momentum: 0.9, nesterov: true },
        weightDecay: 5e-4,
        schedule: { kind: "plateau", monitor: "val.acc", factor: 0.5, patience: 3, minLr: 1e-5 },
        loss: "categorical-crossentropy",
        labelSmoothing: 0.1,
        batch: 64,
        epochs: 30,
        earlyStop: { monitor: "val.loss", mode: "min", patience: 5, minDelta: 0.001, restoreBest: true },
        classWeights: [1, 2, 1, 1, 1, 1, 0.5],
        seed: 7,
        tta: "flip",
        ema: 0.999,
      },
    ],
    ["one-cycle", { ...TRAIN_DEFAULTS, schedule: { kind: "one-cycle", peak: 0.3, div: 25, finalDiv: 1e4 } }],
    ["cosine-restarts", { ...TRAIN_DEFAULTS, schedule: { kind: "cosine-restarts", period: 5, mult: 1, minLr: 1e-5 } }],
    ["rmsprop, cosine", { ...TRAIN_DEFAULTS, optimizer: { kind: "rmsprop", lr: 1e-3, rho: 0.8, momentum: 0.1, epsilon: 1e-6 }, schedule: { kind: "cosine", warmup: 2, minLr: 0 } }],
  ];
  it.each(trains)("train: from-IR then to-IR gives the IR back (%s)", (_name, ir) => {
    const r = roundTrip(TRAIN, ir);
    expect(r.ds).toEqual([]);
    expect(r.ir).toEqual(ir);
  });

  const augments: [string, AugmentIR][] = [
    ["declared, nothing set", { ...NO_AUGMENT, declared: true }],
    ["everything", { declared: true, rotateDeg: 40, shiftX: 0.2, shiftY: 0.1, shearRad: 0.2, zoom: [0.9, 1.2], flipHorizontal: true, cropPadding: 4, erase: 0.5, fill: "constant", randomCrop: [40, 44], mixup: 0.2 }],
  ];
  it.each(augments)("augment: from-IR then to-IR gives the IR back (%s)", (_name, ir) => {
    const r = roundTrip(AUGMENT, ir);
    expect(r.ds).toEqual([]);
    expect(r.ir).toEqual(ir);
  });

  it("preprocess keeps its steps in written order both ways", () => {
    const ir = { steps: [{ op: "standardize" as const, mode: "dataset" as const }, { op: "scale" as const }] };
    expect(roundTrip(PREPROCESS, ir).ir).toEqual(ir);
  });

  it("dataset: from-IR then to-IR gives the IR back, nested split and clean included", () => {
    const spec = checkSource(
      'spec s\ndataset faces { source folder "imgs"; input 32x32x3; classes a b c; split { test = folder "held"; train = folder "tr" }; clean { drop blank threshold 3; test clean } }\nmodel { flatten; dense 3 softmax }\ntrain { }\n',
    ).spec!;
    const text = printDocument([datasetFromIR(spec.dataset)]);
    const ds: Diagnostic[] = [];
    expect(checkDataset(parse(text).document.statements[0]!, ds)).toEqual({ dataset: spec.dataset, inputOk: true, classesOk: true });
    expect(ds).toEqual([]);
    expect(spec.dataset.split.val).toEqual({ kind: "fraction", of: "train", fraction: 0.1 });
  });

  it("dataset: a refused input size or class list is said so, and the stand-ins are FER2013's", () => {
    const ds: Diagnostic[] = [];
    const r = checkDataset(parse("dataset d { input 48x48x9; classes happy }").document.statements[0]!, ds);
    expect(r).toMatchObject({ inputOk: false, classesOk: false, dataset: { input: [48, 48, 1], classes: ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"] } });
    expect(ds.map((d) => d.code)).toEqual(["F0305", "F0206"]);
  });

  it("feed the docs: every section and statement is in grammar/vocabulary.md, with ranges", () => {
    const md = vocabularyMarkdown();
    for (const s of allSections()) {
      expect(md).toContain(s.name);
      for (const st of s.statements) expect(md).toMatch(new RegExp("\\| `" + st.head.replace(/[-.]/g, "\\$&")));
    }
    expect(md).toContain("`batch SIZE` | `size` (required): int 1-65536");
    expect(md).toContain("`lr`: number > 0");
  });

  it("feed the fuzzer: every statement, option and allowed word is in its vocabulary", () => {
    for (const s of allSections()) {
      for (const st of s.statements) {
        expect(VOCAB).toContain(st.head);
        for (const o of st.signature?.options ?? []) {
          expect(VOCAB).toContain(o.name);
          if (o.type.t === "enum") for (const v of o.type.values) expect(VOCAB).toContain(v);
        }
        for (const w of st.words ?? []) expect(VOCAB).toContain(w);
      }
    }
  });

  it("refuse a schedule option that belongs to another schedule, and fill each schedule's defaults", () => {
    const spec = (sched: string) => checkSource(`spec s\ndataset d { source synthetic }\nmodel { flatten; dense 7 softmax }\ntrain { schedule ${sched} }\n`);
    const bad = spec("one-cycle period 3").diagnostics.find((d) => d.code === "F0404")!;
    expect(bad.message).toBe("schedule one-cycle does not take period");
    expect(bad.hint).toBe("one-cycle takes: peak, div, final-div");
    expect(spec("one-cycle").spec!.train.schedule).toEqual({ kind: "one-cycle", peak: 0.3, div: 25, finalDiv: 1e4 });
    expect(spec("cosine-restarts period 4").spec!.train.schedule).toEqual({ kind: "cosine-restarts", period: 4, mult: 2, minLr: 0 });
    expect(spec("one-cycle peak 1").diagnostics.map((d) => d.code)).toContain("F0202");
  });

  it("refuse a statement of another section, with the section's own list as the hint", () => {
    const r = checkSource("spec s\ndataset d { source synthetic }\nmodel { flatten; dense 7 softmax }\ntrain { rotate 10 }\n");
    const d = r.diagnostics.find((x) => x.code === "F0102")!;
    expect(d.message).toBe('train: unknown statement "rotate"');
    expect(d.hint).toBe(`train takes: ${TRAIN.statements.map((s) => s.head).join(", ")}`);
  });
});
