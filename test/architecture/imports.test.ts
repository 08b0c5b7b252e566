/**
 * The import graph of src/ has no cycles: every module's relative imports that survive compilation
 * (static `import`/`export … from` and dynamic `import("…")`; `import type` is erased, as
 * dependency-cruiser counts by default) resolved to files, searched depth-first. A cycle fails the
 * test with its path, e.g. `check/index.ts → format/show.ts → check/index.ts`.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [p] : [];
  });
}

/** Relative specifiers of a module, resolved to source files under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  // Type-only imports and re-exports are erased by tsc: no edge at run time.
  const runtime = text.replace(/(?:import|export)\s+type\s[^;]*?from\s+["'][^"']+["']/g, "");
  const specs = [...runtime.matchAll(/(?:from\s+|import\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]!);
  return specs.map((s) => {
    const base = resolve(dirname(file), s).replace(/\.js$/, "");
    for (const ext of [".ts", ".tsx"]) {
      try {
        if (statSync(base + ext).isFile()) return base + ext;
      } catch {
        // try the next extension
      }
    }
    return "";
  }).filter(Boolean);
}

export function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, "active" | "done">();
  const stack: string[] = [];
  const visit = (n: string): string[] | null => {
    state.set(n, "active");
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === "active") return [...stack.slice(stack.indexOf(m)), m];
      if (!state.has(m)) {
        const c = visit(m);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(n, "done");
    return null;
  };
  for (const n of graph.keys()) {
    if (state.has(n)) continue;
    const c = visit(n);
    if (c) return c;
  }
  return null;
}

describe("src/ import graph", () => {
  it("finds a cycle when there is one (the checker itself)", () => {
    const g = new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]);
    expect(findCycle(g)).toEqual(["a", "b", "c", "a"]);
    expect(findCycle(new Map([["a", ["b"]], ["b", []]]))).toBeNull();
  });

  it("has no import cycles", () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(100);
    const graph = new Map(files.map((f) => [f, importsOf(f)]));
    // The scan really sees the imports (a broken pattern would find no edges, and no cycle).
    expect([...graph.values()].flat().length).toBeGreaterThan(300);
    const cycle = findCycle(graph);
    expect(cycle?.map((f) => relative(SRC, f)).join(" → ") ?? null).toBeNull();
  });
});
