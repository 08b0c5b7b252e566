import { readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import * as ferc from "../../src/index.js";
import { VGG_SMALL } from "../format/helpers.js";

describe("library API", () => {
  it("exports parse, check, compile, format and diff", () => {
    for (const f of ["parse", "check", "compile", "format", "diff", "renderDiff", "toYaml", "fromYaml", "showResolved"] as const) {
      expect(typeof ferc[f]).toBe("function");
    }
  });

  it("works end to end on text, for both spellings", () => {
    expect(ferc.parse(VGG_SMALL).diagnostics).toEqual([]);
    const checked = ferc.check(VGG_SMALL, "vgg.fer");
    expect(checked.ok).toBe(true);
    expect(checked.totals.total).toBe(141303);
    const yaml = ferc.toYaml(VGG_SMALL).output;
    expect(ferc.check(yaml, "vgg.fer.yaml").spec?.totals.total).toBe(141303);
    expect(ferc.format(VGG_SMALL).changed).toBe(true);
    expect(ferc.diff(VGG_SMALL, yaml, { newFile: "vgg.fer.yaml" }).equivalent).toBe(true);
  });

  it("returns diagnostics from compile instead of throwing", async () => {
    const r = await ferc.compile("spec x\n");
    expect(r.ok).toBe(false);
    expect(r.diagnostics.length).toBeGreaterThan(0);
  });

  it("does not load tfjs for `import { parse } from \"ferc\"` (static import graph)", () => {
    const reached = staticImports(resolve(import.meta.dirname, "..", "..", "src", "index.ts"));
    expect([...reached].filter((m) => m.startsWith("@tensorflow/"))).toEqual([]);
  });
});

/** Modules reached from `entry` by value imports (type-only and dynamic imports excluded). */
function staticImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, "utf8");
    const re = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?["']([^"']+)["']/gm;
    for (const m of src.matchAll(re)) {
      const spec = m[1]!;
      if (!spec.startsWith(".")) {
        packages.add(spec);
        continue;
      }
      const target = resolve(dirname(file), spec.replace(/\.js$/, ".ts"));
      const tsx = target.replace(/\.ts$/, ".tsx");
      visit(existsSync(target) ? target : existsSync(tsx) ? tsx : join(target.replace(/\.ts$/, ""), "index.ts"));
    }
  };
  visit(entry);
  return packages;
}
