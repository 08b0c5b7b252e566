import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GRAMMAR_FILES } from "../../src/tools/grammar.js";
import { KINDS_FILE, kindFiles, kindsSource } from "../../src/tools/layerIndex.js";
import { layerKindNames } from "../../src/layers/registry.js";

describe("grammar/ documentation", () => {
  for (const [name, make] of Object.entries(GRAMMAR_FILES)) {
    it(`grammar/${name} is what the parser and registry generate (run \`npm run grammar\` if this fails)`, () => {
      expect(readFileSync(new URL(`../../grammar/${name}`, import.meta.url), "utf8")).toBe(make());
    });
  }

  it("src/layers/kinds.ts lists every kind file (run `npm run grammar` if this fails)", () => {
    expect(readFileSync(KINDS_FILE, "utf8")).toBe(kindsSource());
    // The naming rule finds exactly the registered kinds: a kind's file is named after it.
    expect(kindFiles()).toEqual([...layerKindNames()].sort());
    expect(kindFiles()).toContain("residual");
  });

  it("the EBNF names every rule of the parser", () => {
    const ebnf = GRAMMAR_FILES["fer.ebnf"]!();
    for (const rule of ["document", "statement", "arg", "value", "list", "block"]) expect(ebnf).toMatch(new RegExp(`^${rule} = `, "m"));
  });

  it("the TextMate grammar highlights every layer kind", () => {
    const tm = JSON.parse(GRAMMAR_FILES["fer.tmLanguage.json"]!()) as { patterns: { name: string; match?: string }[] };
    const layer = tm.patterns.find((p) => p.name.startsWith("entity.name.function.layer"))!;
    expect(layer.match).toContain("conv");
    expect(layer.match).toContain("residual");
  });
});
