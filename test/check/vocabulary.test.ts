import { describe, expect, it } from "vitest";
import { vocabularyMarkdown } from "../../src/check/vocabulary.js";
import { LAYER_KINDS } from "../../src/layers/registry.js";
import { checkModelBody } from "./helpers.js";

describe("vocabulary docs", () => {
  it("lists every layer kind with usage", () => {
    const md = vocabularyMarkdown();
    for (const k of LAYER_KINDS) expect(md).toContain(`| \`${k.kind}\` |`);
    expect(md).toContain("conv KERNEL FILTERS [stride KxK] [valid\\|same] [ACTIVATION] [bias on\\|off] [as NAME]");
  });

  it.each(LAYER_KINDS.filter((k) => !k.container).map((k) => [k.kind, k.example] as const))("%s example checks: %s", (kind, example) => {
    // Examples run on a 12x12x8 feature map (or a vector for dense); they must be valid syntax.
    // Those that end flat (flatten, globalavgpool) go straight to the head: flatten of a vector is refused.
    const needsVector = example.startsWith("dense");
    const endsFlat = needsVector || kind === "flatten" || kind === "globalavgpool";
    const r = checkModelBody(`${needsVector ? "flatten; " : "conv 3x3 8 same; "}${example}; ${endsFlat ? "" : "flatten; "}dense 7 softmax`);
    expect(r.diagnostics).toEqual([]);
  });
});
