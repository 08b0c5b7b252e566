import { describe, expect, it } from "vitest";
import { diffExitCode, diffSpecs, renderDiff, type DiffResult } from "../../src/diff/index.js";
import { format } from "../../src/format/index.js";
import { toYaml } from "../../src/yaml/index.js";
import { MESSY, RICH, VGG_SMALL } from "../format/helpers.js";

/** The reference spec without its expect block, so edits to the model still check. */
const VGG = VGG_SMALL.replace(/expect \{.*\}\n/, "");

const edit = (from: string, to: string, text = VGG): string => {
  expect(text).toContain(from);
  return text.replace(from, to);
};
const diff = (a: string, b: string): DiffResult => {
  const d = diffSpecs(a, b);
  expect(d.ok).toBe(true);
  return d;
};

describe("semantic diff", () => {
  it("finds no change in pure reformatting, comments and reordered settings", () => {
    for (const text of [VGG_SMALL, MESSY, RICH]) {
      expect(diff(text, format(text).output).equivalent).toBe(true);
    }
    const commented = edit("model {", "# the network\nmodel { # layers");
    expect(diff(VGG, commented).equivalent).toBe(true);
    const reordered = edit(
      "train { optimizer adam; loss categorical-crossentropy; batch 128; epochs 100",
      "train { epochs 100; batch 128; loss categorical-crossentropy; optimizer adam lr=0.001",
    );
    const d = diff(VGG, reordered);
    expect(d.equivalent).toBe(true);
    expect(renderDiff(d, "text")).toContain("equivalent: no semantic changes");
    expect(diffExitCode(d)).toBe(0);
  });

  it("reports a changed setting by its IR path", () => {
    const d = diff(VGG, edit("batch 128", "batch 64"));
    expect(d.equivalent).toBe(false);
    expect(d.settings).toEqual([{ path: "train.batch", old: 128, new: 64 }]);
    expect(d.layers).toEqual([]);
    expect(renderDiff(d, "text")).toContain("~ train.batch 128 → 64");
    expect(diffExitCode(d)).toBe(1);
  });

  it("reports an edited layer with its downstream shapes and parameter deltas", () => {
    const d = diff(VGG, edit("filters = [16, 32, 64]", "filters = [16, 32, 128]"));
    expect(d.settings).toEqual([]);
    const conv2 = d.layers.find((l) => l.name === "block3.conv2")!;
    expect(conv2).toMatchObject({ status: "changed", options: [{ option: "filters", old: 64, new: 128 }], oldShape: [5, 5, 64], newShape: [5, 5, 128] });
    expect(conv2.newParams - conv2.oldParams).toBe(147584 - 36928);
    // Not edited, but changed by the edit: batchnorm channels and the first dense layer.
    expect(d.layers.find((l) => l.name === "block3.bn2")).toMatchObject({ status: "affected", oldParams: 256, newParams: 512 });
    expect(d.layers.find((l) => l.name === "dense1")).toMatchObject({ status: "affected", oldParams: 65792, newParams: 131328 });
    expect(d.totals!.old.total).toBe(141303);
    expect(d.output).toBeUndefined();
    expect(d.totals!.new.total - d.totals!.old.total).toBe(d.layers.reduce((a, l) => a + l.newParams - l.oldParams, 0));
    const text = renderDiff(d, "text");
    expect(text).toContain("~ block3.conv2 (conv) filters 64 → 128, shape 5x5x64 → 5x5x128: +110,656 params");
    expect(text).toMatch(/total 141,303 → [\d,]+ \(\+[\d,]+\)/);
  });

  it("reports an inserted layer as added, and the shifted one as renamed", () => {
    const d = diff(VGG, edit("  dense 7 softmax", "  dense 128 relu\n  dense 7 softmax"));
    expect(d.layers.map((l) => [l.status, l.oldName ?? "", l.name])).toEqual([
      ["added", "", "dense2"],
      ["changed", "dense2", "dense3"],
    ]);
    expect(d.layers[0]).toMatchObject({ kind: "dense", newShape: [128], newParams: 256 * 128 + 128 });
    expect(d.layers[1]).toMatchObject({ options: [], oldParams: 1799, newParams: 903 });
    expect(renderDiff(d, "text")).toContain("+ dense2 (dense activation=relu bias=true units=128) added, output 128: +32,896 params");
  });

  it("reports a removed layer", () => {
    const d = diff(VGG, edit("batchnorm; dropout 0.5", "batchnorm"));
    expect(d.layers.map((l) => [l.status, l.name, l.kind])).toEqual([["removed", "drop1", "dropout"]]);
    expect(renderDiff(d, "text")).toContain("- drop1 (dropout) removed, was 256");
  });

  it("reports several kinds of change at once, in every format", () => {
    const b = edit("dropout 0.5", "dropout 0.4", edit("rotate 40deg", "rotate 30deg", edit("epochs 100", "epochs 50")));
    const d = diff(VGG, b);
    expect(d.settings.map((s) => s.path)).toEqual(["augment.rotateDeg", "train.epochs"]);
    expect(d.layers.map((l) => `${l.name} ${l.options.map((o) => `${o.option}:${o.old}->${o.new}`).join()}`)).toEqual(["drop1 rate:0.5->0.4"]);
    const md = renderDiff(d, "markdown");
    expect(md).toContain("| ✏️ | `drop1` | dropout | rate 0.5 → 0.4 | 256 | 0 |");
    expect(md).toContain("- `train.epochs`: `100` → `50`");
    expect(JSON.parse(renderDiff(d, "json"))).toMatchObject({ ok: true, equivalent: false });
    expect(renderDiff(d, "text")).not.toContain("\u001b[");
    expect(renderDiff(d, "text", { color: true })).toContain("\u001b[");
  });

  it("compares whole values where elements have no identity (classes, steps) and variants", () => {
    const d = diff(RICH, edit("optimizer sgd lr 0.05 momentum 0.9 nesterov", "optimizer adam", edit("scale; standardize dataset", "standardize dataset", RICH)));
    expect(d.settings.map((s) => s.path)).toEqual(["preprocess.steps", "train.optimizer"]);
    expect(renderDiff(d, "text")).toContain("train.optimizer sgd lr=0.05 momentum=0.9 nesterov=true → adam lr=1e-3");
  });

  it("compares expect assertions as a set", () => {
    const a = `${VGG}expect { shape block1.conv1 = 46x46x16; params total 141303 }\n`;
    const reordered = `${VGG}expect { params total 141303; shape block1.conv1 = 46x46x16 }\n`;
    expect(diff(a, reordered).equivalent).toBe(true);
    const d = diff(a, `${VGG}expect { params total 141303; params trainable 140343 }\n`);
    expect(d.settings).toEqual([
      { path: "expect", old: { kind: "shape", layer: "block1.conv1", shape: [46, 46, 16] } },
      { path: "expect", new: { kind: "params", which: "trainable", value: 140343 } },
    ]);
    expect(renderDiff(d, "text")).toContain("~ expect: shape block1.conv1 = 46x46x16 (removed)");
  });

  it("diffs a .fer against its YAML form as equivalent", () => {
    const d = diffSpecs(VGG_SMALL, toYaml(VGG_SMALL).output, { oldFile: "a.fer", newFile: "a.fer.yaml" });
    expect(d.ok && d.equivalent).toBe(true);
  });

  it("still diffs a side whose only errors are stale expect assertions, and lists them", () => {
    const d = diffSpecs(VGG_SMALL, VGG_SMALL.replace("[16, 32, 64]", "[16, 32, 128]"), { newLabel: "new.fer" });
    expect(d.ok).toBe(true);
    expect(d.old.failedExpect).toBeUndefined();
    expect(d.new.failedExpect!.map((e) => e.code)).toEqual(["F0501", "F0501", "F0501"]);
    expect(d.settings).toEqual([]);
    expect(d.layers.length).toBeGreaterThan(0);
    const text = renderDiff(d, "text");
    expect(text).toMatch(/new\.fer:22:\d+: expect fails: expected 140,343 trainable parameters/);
    expect(renderDiff(d, "markdown")).toContain("**Expectations that no longer hold**");
    expect(diffExitCode(d)).toBe(1);
  });

  it("refuses to diff a side with errors, saying why", () => {
    const d = diffSpecs(VGG, edit("dense 7 softmax", "dense 7 sofmax"), { newLabel: "new.fer" });
    expect(d.ok).toBe(false);
    expect(diffExitCode(d)).toBe(2);
    expect(d.new.diagnostics.some((x) => x.severity === "error")).toBe(true);
    expect(renderDiff(d, "text")).toMatch(/^cannot diff: a side has errors\nnew\.fer:18:/);
  });
});
