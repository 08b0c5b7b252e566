/** `flatten` of a vector passed check and then failed to compile (tfjs' Flatten needs 2+ axes). */
import { describe, expect, it } from "vitest";
import { check } from "../../src/index.js";

describe("flatten after the features are already flat", () => {
  it("is a shape error at the flatten, and the rest still checks", () => {
    const r = check(["spec x", "dataset d { input 8x8x1; classes a b }", "model { globalavgpool; flatten; dense 2 softmax }", "train { seed 1 }", ""].join("\n"));
    expect(r.diagnostics.map((d) => [d.code, d.message, d.span.line])).toEqual([
      ["F0302", "flatten1: flatten needs a feature map, got 1, which is already flat; remove the flatten", 3],
    ]);
  });
});
