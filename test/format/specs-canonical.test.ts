/**
 * The specs shipped in specs/ are in `ferc fmt` canonical form, so CI (`npm test`) fails on a
 * spec committed unformatted: run `npx ferc fmt specs/*.fer` to fix it. Also the layout rule that
 * keeps their columns of trailing comments aligned.
 */
import { describe, expect, it } from "vitest";
import { format } from "../../src/format/index.js";
import { specFiles } from "./helpers.js";

describe("specs/ is formatted", () => {
  const files = specFiles();
  it("has the shipped specs", () => expect(files.map(([name]) => name)).toEqual(expect.arrayContaining(["demo.fer", "vgg-small.fer", "resnet-small.fer"])));
  it.each(files)("specs/%s is in canonical form (run `npx ferc fmt specs/*.fer`)", (_name, text) => {
    const r = format(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.output).toBe(text);
  });
});

describe("aligned trailing comments", () => {
  it("a run of one-line statements gets one comment column, one space past its longest line", () => {
    const text = "model {\n  conv 5x5 16 relu stride 2 same   # 24x24\n  maxpool 2x2 # 12x12\n  conv 3x3 32 relu same\n  maxpool 2x2      # 6x6\n}\n";
    expect(format(text).output).toBe(
      "model {\n  conv 5x5 16 relu stride 2 same # 24x24\n  maxpool 2x2                    # 12x12\n  conv 3x3 32 relu same\n  maxpool 2x2                    # 6x6\n}\n",
    );
  });

  it("a blank line, a comment line or a block starts a new run; a lone comment gets one space", () => {
    const text = [
      "model {",
      "  conv 3x3 8 relu same     # a",
      "  maxpool 2x2 # b",
      "",
      "  flatten       # c",
      "  # own line",
      "  dense 32 relu # d",
      "  dropout 0.1                 # e",
      "  residual { dense 32 }",
      "  dense 7 softmax # f",
      "}",
      "",
    ].join("\n");
    expect(format(text).output).toBe(
      [
        "model {",
        "  conv 3x3 8 relu same # a",
        "  maxpool 2x2          # b",
        "",
        "  flatten # c",
        "  # own line",
        "  dense 32 relu # d",
        "  dropout 0.1   # e",
        "  residual {",
        "    dense 32",
        "  }",
        "  dense 7 softmax # f",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("is a fixed point", () => {
    const once = format("train {\n  batch 8 # small\n  epochs 100 # long\n  seed 1\n}\n").output;
    expect(once).toBe("train {\n  batch 8    # small\n  epochs 100 # long\n  seed 1\n}\n");
    expect(format(once).output).toBe(once);
  });
});
