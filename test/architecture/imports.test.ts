/**
 * The import graph of src/ (importGraph.ts: static, type-only, side-effect and dynamic imports, all
 * counted) has no cycle, and no module imports from a floor above its own (floors.ts). A failure
 * names the modules, e.g. `check/index.ts → variation/section.ts → variation/plan.ts → check/index.ts`.
 */
import { describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { FLOORS } from "./floors.js";
import { findCycle, floorIndex, importGraph, specifiersIn, SRC, tangles, unitOf, upwardImports } from "./importGraph.js";

describe("the import-graph helpers", () => {
  it("find a cycle when there is one", () => {
    const g = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]);
    expect(findCycle(g)).toEqual(["a", "b", "c", "a"]);
    expect(tangles(g)).toEqual([["a", "b", "c"]]);
    expect(findCycle(new Map([["a", ["b"]], ["b", []]]))).toBeNull();
  });

  it("see every kind of import, type-only and dynamic included", () => {
    const text = [
      `import { a } from "./a.js";`,
      `import type { B } from "../b/b.js";`,
      `export { c } from "./c.js";`,
      `export type { D } from "./d.js";`,
      `import "./e.js";`,
      `const f = await import("../f/f.js");`,
      `import { x } from "node:fs";`,
    ].join("\n");
    expect(specifiersIn(text)).toEqual(["./a.js", "../b/b.js", "./c.js", "./d.js", "./e.js", "../f/f.js"]);
  });

  it("flag an import from a lower floor into a higher one, not one downwards or sideways", () => {
    const floors = floorIndex([["low"], ["mid", "side"], ["high"]]);
    const g = new Map([
      ["low/a.ts", ["mid/b.ts"]],
      ["mid/b.ts", ["low/a.ts", "side/c.ts"]],
      ["high/d.ts", ["mid/b.ts"]],
    ]);
    expect(upwardImports(g, floors)).toEqual(["low/a.ts → mid/b.ts"]);
  });
});

describe("src/ import graph", () => {
  const graph = importGraph();

  it("is really seen (a broken pattern would find no edges, and no cycle)", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect([...graph.values()].flat().length).toBeGreaterThan(1000);
  });

  it("places every top-level folder and file of src/ on exactly one floor", () => {
    const placed = FLOORS.flat();
    expect(placed.length).toBe(new Set(placed).size);
    const units = readdirSync(SRC).filter((n) => !n.endsWith(".d.ts"));
    expect(units.filter((u) => !placed.includes(u))).toEqual([]);
    expect(placed.filter((u) => !units.includes(u))).toEqual([]);
    for (const m of graph.keys()) expect(placed).toContain(unitOf(m));
  });

  it("has no import cycles, type imports counted", () => {
    expect(findCycle(graph)?.join(" → ") ?? null).toBeNull();
  });

  it("has no import from a lower floor into a higher one", () => {
    expect(upwardImports(graph)).toEqual([]);
  });
});
