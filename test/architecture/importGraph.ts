/**
 * The import graph of src/, computed from the sources by pattern (no compiler run): every relative
 * specifier of a static `import`/`export … from`, a type-only import (`import type`, which tsc
 * erases but which still ties the two modules together for a reader), a side-effect `import "…"`
 * and a dynamic `import("…")` (a lazy import is still a dependency), resolved to a file under src/.
 * Used by imports.test.ts and by measure.ts (`npx vite-node test/architecture/measure.ts`).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { FLOORS } from "./floors.js";

export const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

/** Module path relative to src/ (e.g. `check/index.ts`) → the modules it imports. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

export function sources(dir: string = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [p] : [];
  });
}

const SPECIFIER = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g;

/** Relative specifiers written in `text`, in order (exported for the pattern's own test). */
export const specifiersIn = (text: string): string[] => [...text.matchAll(SPECIFIER)].map((m) => m[1]!);

function resolveSource(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec).replace(/\.js$/, "");
  for (const candidate of [base + ".ts", base + ".tsx", join(base, "index.ts")]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one: try the next candidate
    }
  }
  return undefined;
}

export function importGraph(files: readonly string[] = sources()): ImportGraph {
  return new Map(
    files.map((f) => [
      relative(SRC, f),
      specifiersIn(readFileSync(f, "utf8"))
        .map((s) => resolveSource(f, s))
        .filter((p): p is string => p !== undefined && p.startsWith(SRC))
        .map((p) => relative(SRC, p)),
    ]),
  );
}

/** The top-level unit a module belongs to: its folder under src/, or the file itself (`ir.ts`). */
export const unitOf = (module: string): string => (module.includes("/") ? module.slice(0, module.indexOf("/")) : module);

/** Floor index of each unit named in FLOORS (0 = the ground floor). */
export function floorIndex(floors: readonly (readonly string[])[] = FLOORS): ReadonlyMap<string, number> {
  return new Map(floors.flatMap((units, i) => units.map((u) => [u, i] as const)));
}

/** One cycle, as a path that ends where it starts, or null; searched depth-first. */
export function findCycle(graph: ImportGraph): string[] | null {
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

/** Strongly connected components with more than one module (Tarjan): each is one tangle of cycles. */
export function tangles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) out.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return out;
}

/** Imports from a unit on a lower floor into a unit on a higher one, as `from → to`. */
export function upwardImports(graph: ImportGraph, floors: ReadonlyMap<string, number> = floorIndex()): string[] {
  const out: string[] = [];
  for (const [from, tos] of graph) {
    const mine = floors.get(unitOf(from));
    for (const to of tos) {
      const theirs = floors.get(unitOf(to));
      if (mine !== undefined && theirs !== undefined && theirs > mine) out.push(`${from} → ${to}`);
    }
  }
  return [...new Set(out)].sort();
}
