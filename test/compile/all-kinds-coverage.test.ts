/**
 * Every registered layer kind is in a compiled-graph snapshot (compile.test.ts snapshots
 * `fixtures/*.fer` and `specs/*.fer`), so a new kind cannot land without one; `all-kinds.fer` holds
 * all of them but `flatten`, which cannot follow its `globalavgpool` (the specs' vgg nets have it).
 * And the layer table of docs/language.md lists every kind.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { check } from "../../src/index.js";
import { layerKindNames } from "../../src/layers/registry.js";
import type { LayerIR } from "../../src/ir.js";

const read = (rel: string) => readFileSync(fileURLToPath(new URL(rel, import.meta.url)), "utf8");

function kinds(layers: readonly LayerIR[], out = new Set<string>()): Set<string> {
  for (const l of layers) {
    out.add(l.kind);
    kinds(l.children ?? [], out);
    kinds(l.shortcut ?? [], out);
  }
  return out;
}

describe("hand-kept lists", () => {
  const kindsOf = (rel: string) => {
    const r = check(read(rel), rel);
    expect(r.ok, rel).toBe(true);
    return kinds(r.spec!.model.layers);
  };

  it("all-kinds.fer compiles every registered layer kind but flatten", () => {
    const used = kindsOf("./fixtures/all-kinds.fer");
    expect(layerKindNames().filter((k) => !used.has(k))).toEqual(["flatten"]);
  });

  it("the snapshotted fixtures and specs together compile every registered kind", () => {
    const files = [
      ...readdirSync(fileURLToPath(new URL("./fixtures/", import.meta.url))).filter((f) => f.endsWith(".fer")).map((f) => `./fixtures/${f}`),
      ...readdirSync(fileURLToPath(new URL("../../specs/", import.meta.url))).filter((f) => f.endsWith(".fer")).map((f) => `../../specs/${f}`),
    ];
    const used = new Set(files.flatMap((f) => [...kindsOf(f)]));
    expect(layerKindNames().filter((k) => !used.has(k))).toEqual([]);
  });

  it("the layer table (docs/language.md) names every registered kind", () => {
    const readme = read("../../docs/language.md");
    // A kind in the first column of a table row, alone or listed: "| `maxpool`, `avgpool` | ...".
    expect(layerKindNames().filter((k) => !new RegExp("^\\|[^|\\n]*`" + k + "`", "m").test(readme))).toEqual([]);
  });
});
