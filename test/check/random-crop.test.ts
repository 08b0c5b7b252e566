/** augment random-crop HxW and tta ten-crop: the checker, fmt, the resolved and YAML forms. */
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import { format } from "../../src/format/index.js";
import { resolvedText } from "../../src/show/resolved.js";
import { toYaml, yamlToFer } from "../../src/yaml/index.js";
import { specWith } from "./helpers.js";

const spec = (augment: string, train = "batch 32") => specWith("conv 3x3 8\nflatten\ndense 7 softmax", { train, extra: `augment { ${augment} }` });

describe("augment random-crop", () => {
  it("the model's input is the window: conv 3x3 on 40x40 gives 38x38", () => {
    const r = checkSource(spec("random-crop 40x40; flip horizontal", "tta ten-crop"));
    expect(r.diagnostics).toEqual([]);
    expect(r.spec!.augment.randomCrop).toEqual([40, 40]);
    expect(r.spec!.model.input).toEqual([40, 40, 1]);
    expect(r.spec!.dataset.input).toEqual([48, 48, 1]);
    expect(r.layers[0]!.outputShape).toEqual([38, 38, 8]);
    expect(r.spec!.train.tta).toBe("ten-crop");
  });

  it("a window larger than the image: F0305 at the statement, with a size that fits", () => {
    const src = spec("random-crop 50x40");
    const r = checkSource(src);
    const d = r.diagnostics.find((x) => x.code === "F0305")!;
    expect(d.message).toBe("random-crop 50x40 is larger than the input 48x48");
    expect(d.hint).toBe("crop to at most 48x48, e.g. 40x40");
    expect(src.split("\n")[d.span.line - 1]!.slice(d.span.column - 1)).toMatch(/^random-crop 50x40/);
  });

  it("tta ten-crop without random-crop: F0404 (there are no smaller windows to average)", () => {
    const r = checkSource(specWith("flatten\ndense 7 softmax", { train: "tta ten-crop" }));
    expect(r.diagnostics.map((d) => d.code)).toEqual(["F0404"]);
    expect(r.diagnostics[0]!.hint).toMatch(/random-crop 40x40/);
  });

  it("fmt, the resolved form and the YAML form keep it", () => {
    const src = spec("random-crop 40x40", "tta ten-crop");
    expect(format(src).output).toMatch(/augment \{\n  random-crop 40x40\n\}/);
    expect(resolvedText(checkSource(src).spec!)).toMatch(/random-crop 40x40/);
    const back = checkSource(yamlToFer(toYaml(src).output).output);
    expect(back.spec?.augment.randomCrop).toEqual([40, 40]);
    expect(back.spec?.train.tta).toBe("ten-crop");
  });
});
