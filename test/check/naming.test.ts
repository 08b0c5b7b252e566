/** Names come from place, not from global counters. */
import { describe, expect, it } from "vitest";
import { checkModelBody } from "./helpers.js";

const names = (model: string): string[] => checkModelBody(model).layers.map((l) => l.name);

describe("layer naming", () => {
  it("numbers each kind per scope", () => {
    expect(names("conv 3x3 8; batchnorm; conv 3x3 8; batchnorm; maxpool 2x2; dropout 0.1; flatten; dense 16 relu; dropout 0.1; dense 7 softmax")).toEqual([
      "conv1", "bn1", "conv2", "bn2", "pool1", "drop1", "flatten1", "dense1", "drop2", "dense2",
    ]);
  });

  it("repeat iterations are block<i>, counters restart per iteration, and continue across repeats", () => {
    expect(names("repeat 2 { conv 3x3 4; conv 3x3 4 }; repeat 1 { maxpool 2x2 }; flatten; dense 7 softmax")).toEqual([
      "block1.conv1", "block1.conv2", "block2.conv1", "block2.conv2", "block3.pool1", "flatten1", "dense1",
    ]);
  });

  it("repeat as NAME changes the stem; nesting composes", () => {
    expect(names("repeat 1 as stage { repeat 2 { conv 3x3 4 } }; flatten; dense 7 softmax")).toEqual([
      "stage1.block1.conv1", "stage1.block2.conv1", "flatten1", "dense1",
    ]);
  });

  it("explicit names keep their siblings' numbers", () => {
    expect(names("flatten; dense 32 relu as fc; dense 16 relu; dense 7 softmax as out")).toEqual(["flatten1", "fc", "dense2", "out"]);
  });

  it("inserting a layer renames nothing outside its own kind and scope", () => {
    const before = names("repeat 2 { conv 3x3 4 }; flatten; dense 7 softmax");
    const after = names("repeat 2 { conv 3x3 4; batchnorm }; flatten; dense 7 softmax");
    expect(after.filter((n) => !n.includes(".bn"))).toEqual(before);
  });

  it("residual scopes: branch, projection, add, post-activation", () => {
    expect(names("residual project-bn relu { conv 3x3 8 same; batchnorm }; flatten; dense 7 softmax")).toEqual([
      "res1", "res1.conv1", "res1.bn1", "res1.proj", "res1.proj_bn", "res1.act", "flatten1", "dense1",
    ]);
  });

  it("repeat variables substitute into any argument", () => {
    const r = checkModelBody("repeat 2 with f = [8, 16] k = [3, 5] p = [same, valid] { conv k f p }; flatten; dense 7 softmax");
    expect(r.diagnostics).toEqual([]);
    expect(r.layers.slice(0, 2).map((l) => l.outputShape)).toEqual([[48, 48, 8], [44, 44, 16]]);
  });
});
