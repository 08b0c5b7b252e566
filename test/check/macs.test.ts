/** Multiply-adds per image: each kind's rule (src/layers/<kind>.ts), summed over the model. */
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import { modelMacs } from "../../src/check/macs.js";
import { totalMacs } from "../../src/cli/table.js";
import { checkModelBody, readSpec } from "./helpers.js";

const rowMacs = (body: string, input = "") => {
  const r = checkModelBody(body, { dataset: input });
  return Object.fromEntries(r.layers.map((l) => [l.name, l.macs]));
};

describe("multiply-adds", () => {
  it("vgg-small: 11.6 M per image, the hand figure (convs and denses 11,486,528 + batchnorm 92,992)", () => {
    const r = checkSource(readSpec("vgg-small"));
    // By hand, valid 3x3 convs: 46²·16·9·1 + 44²·16·9·16 + 20²·32·9·16 + 18²·32·9·32 + 7²·64·9·32 + 5²·64·9·64,
    // dense 256·256 + 256·7, batchnorm one per element of each of its outputs.
    const convDense = 46 * 46 * 16 * 9 + 44 * 44 * 16 * 9 * 16 + 20 * 20 * 32 * 9 * 16 + 18 * 18 * 32 * 9 * 32 + 7 * 7 * 64 * 9 * 32 + 5 * 5 * 64 * 9 * 64 + 256 * 256 + 256 * 7;
    const bn = 46 * 46 * 16 + 44 * 44 * 16 + 20 * 20 * 32 + 18 * 18 * 32 + 7 * 7 * 64 + 5 * 5 * 64 + 256;
    expect(convDense).toBe(11_486_528);
    expect(modelMacs(r.spec!.model.layers)).toBe(convDense + bn);
    expect(totalMacs(r.layers)).toBe(convDense + bn);
    expect((convDense + bn) / 1e6).toBeCloseTo(11.6, 1);
  });

  it("per kind: conv, depthwise, separable, dense, batchnorm; pooling and activations none", () => {
    const m = rowMacs("conv 3x3 8 same\nbatchnorm\nmaxpool 2x2\ndepthwise 3x3 multiplier 2 same\nseparable 3x3 4 same\nactivation relu\nflatten\ndense 7 softmax");
    expect(m["conv1"]).toBe(48 * 48 * 8 * 9 * 1);
    expect(m["bn1"]).toBe(48 * 48 * 8);
    expect(m["pool1"]).toBe(0);
    expect(m["dwconv1"]).toBe(24 * 24 * 16 * 9);
    // separable on 16 channels (8 x multiplier 2): 3x3 depthwise on each, then 16 -> 4 pointwise.
    expect(m["sepconv1"]).toBe(24 * 24 * (16 * 9 + 16 * 4));
    expect(m["dense1"]).toBe(24 * 24 * 4 * 7);
  });

  it("a residual sums its branch and its projection shortcut", () => {
    const r = checkModelBody("conv 3x3 8 same\nresidual project relu { conv 3x3 16 same stride 2; batchnorm }\nglobalavgpool\ndense 7 softmax");
    const res = r.layers.find((l) => l.kind === "residual")!;
    const parts = r.layers.filter((l) => l.depth === 1).reduce((s, l) => s + l.macs!, 0);
    expect(res.macs).toBe(parts);
    expect(parts).toBe(24 * 24 * 16 * 9 * 8 + 24 * 24 * 16 + 24 * 24 * 16 * 8);
  });

  it("unknown when a layer did not check (no partial total)", () => {
    const r = checkModelBody("conv 3x3 8 same\nconv 99x99 8\nflatten\ndense 7 softmax");
    expect(totalMacs(r.layers)).toBeUndefined();
  });
});
