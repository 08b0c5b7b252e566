import { readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import * as ferc from "../../src/index.js";
import { VGG_SMALL } from "../format/helpers.js";

describe("library API", () => {
  it("each documented export does its job", () => {
    const small = "spec s\ndataset d {}\nmodel {\n  repeat 2 { conv 3x3 4 relu }\n  flatten; dense 7 softmax\n}\ntrain { batch 8 }\n";
    const parsed = ferc.parse(small);
    expect(parsed.document.statements.map((s) => s.head.name)).toEqual(["spec", "dataset", "model", "train"]);
    expect(ferc.parse("spec s\nmodel { conv 3x3 8", "x.fer").diagnostics.map((d) => d.code)).toEqual(["F0003"]);

    const checked = ferc.check(small, "s.fer");
    expect(checked.layers.map((l) => `${l.name} ${l.outputShape.join("x")} ${l.params}`)).toEqual([
      "block1.conv1 46x46x4 40",
      "block2.conv1 44x44x4 148",
      "flatten1 7744 0",
      "dense1 7 54215",
    ]);
    expect(ferc.check("spec s\n", "s.fer").diagnostics.map((d) => d.code)).toEqual(["F0104", "F0104", "F0104"]);
    // Every diagnostic names its phase; the CLI's renderer is the library's too.
    const missing = ferc.check("spec s\n", "s.fer").diagnostics;
    expect(missing.map((d) => d.phase)).toEqual(["names", "names", "names"]);
    expect(ferc.renderDiagnostics(missing.slice(0, 1), "github", { file: "s.fer" })).toBe("::error file=s.fer,line=1,col=1,endLine=1,endColumn=1,title=ferc F0104::missing required section dataset (hint: add: dataset { ... })\n");

    const formatted = ferc.format("spec s\ndataset d {}\nmodel { flatten; dense 7 softmax }\ntrain { batch 8 }");
    expect(formatted.output).toBe("spec s\n\ndataset d {}\n\nmodel {\n  flatten\n  dense 7 softmax\n}\n\ntrain {\n  batch 8\n}\n");
    expect(ferc.format(formatted.output).changed).toBe(false);

    const changed = small.replace("batch 8", "batch 16");
    const d = ferc.diff(small, changed);
    expect(d.equivalent).toBe(false);
    expect(ferc.renderDiff(d, "text")).toContain("train.batch 8 → 16");
    expect(ferc.diff(small, ferc.format(small).output).equivalent).toBe(true);

    const yaml = ferc.toYaml(small).output;
    expect(yaml).toContain("spec: s");
    expect(ferc.fromYaml(yaml).document.statements.map((s) => s.head.name)).toEqual(["spec", "dataset", "model", "train"]);
    expect(ferc.check(yaml, "s.fer.yaml").totals).toEqual(checked.totals);

    const resolved = ferc.showResolved(small, "s.fer");
    // Repeats expanded, defaults filled in, the shape table appended.
    expect(resolved).toContain("conv kernel = 3x3 filters = 4 stride = 1x1 padding = valid activation = relu bias = on as block2.conv1");
    expect(resolved).not.toContain("repeat");
    expect(resolved).toContain("# params: trainable 54,403, non-trainable 0, total 54,403");
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
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      "F0104 missing required section dataset",
      "F0104 missing required section model",
      "F0104 missing required section train",
    ]);
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
