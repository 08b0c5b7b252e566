/** Acceptance: specs/vgg-small.fer against the Keras summary of the same network. */
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import { readSpec } from "./helpers.js";

// name, kind, output shape, params (total), trainable
const VGG_SMALL: readonly [string, string, string, number, number][] = [
  ["block1.conv1", "conv", "46x46x16", 160, 160],
  ["block1.bn1", "batchnorm", "46x46x16", 64, 32],
  ["block1.conv2", "conv", "44x44x16", 2320, 2320],
  ["block1.bn2", "batchnorm", "44x44x16", 64, 32],
  ["block1.pool1", "maxpool", "22x22x16", 0, 0],
  ["block1.drop1", "dropout", "22x22x16", 0, 0],
  ["block2.conv1", "conv", "20x20x32", 4640, 4640],
  ["block2.bn1", "batchnorm", "20x20x32", 128, 64],
  ["block2.conv2", "conv", "18x18x32", 9248, 9248],
  ["block2.bn2", "batchnorm", "18x18x32", 128, 64],
  ["block2.pool1", "maxpool", "9x9x32", 0, 0],
  ["block2.drop1", "dropout", "9x9x32", 0, 0],
  ["block3.conv1", "conv", "7x7x64", 18496, 18496],
  ["block3.bn1", "batchnorm", "7x7x64", 256, 128],
  ["block3.conv2", "conv", "5x5x64", 36928, 36928],
  ["block3.bn2", "batchnorm", "5x5x64", 256, 128],
  ["block3.pool1", "maxpool", "2x2x64", 0, 0],
  ["block3.drop1", "dropout", "2x2x64", 0, 0],
  ["flatten1", "flatten", "256", 0, 0],
  ["dense1", "dense", "256", 65792, 65792],
  ["bn1", "batchnorm", "256", 1024, 512],
  ["drop1", "dropout", "256", 0, 0],
  ["dense2", "dense", "7", 1799, 1799],
];

describe("specs/vgg-small.fer (reference)", () => {
  const r = checkSource(readSpec("vgg-small"), "specs/vgg-small.fer");

  it("checks clean, expectations included", () => {
    expect(r.diagnostics).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.spec?.expect).toHaveLength(4);
  });

  it("has exactly the reference rows", () => {
    expect(r.layers.map((l) => l.name)).toEqual(VGG_SMALL.map((row) => row[0]));
  });

  it.each(VGG_SMALL)("%s (%s) → %s, %i params (%i trainable)", (name, kind, shape, params, trainable) => {
    const row = r.layers.find((l) => l.name === name);
    expect(row).toBeDefined();
    expect(row!.kind).toBe(kind);
    expect(row!.outputShape.join("x")).toBe(shape);
    expect(row!.params).toBe(params);
    expect(row!.trainableParams).toBe(trainable);
  });

  it("totals 140,343 trainable + 960 non-trainable = 141,303", () => {
    expect(r.totals).toEqual({ trainable: 140343, nonTrainable: 960, total: 141303 });
  });

  it("resolves the training policy with Keras defaults", () => {
    expect(r.spec?.train.optimizer).toEqual({ kind: "adam", lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(r.spec?.train.earlyStop).toEqual({ monitor: "val.loss", mode: "min", patience: 5, minDelta: 0, restoreBest: true });
    expect(r.spec?.augment).toMatchObject({ declared: true, rotateDeg: 40, shiftX: 0.2, shiftY: 0.2, shearRad: 0.2, zoom: [0.9, 1.1], flipHorizontal: true });
    expect(r.spec?.dataset.clean).toEqual({ dropBlank: true, blankThreshold: 1, dropDuplicates: true, test: "keep" });
  });
});
