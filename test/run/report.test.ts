import { describe, expect, it } from "vitest";
import { confusionSvg, groupedBarsSvg, lineChart, niceTicks } from "../../src/report/svg.js";
import { reportMarkdown, perClassMarkdown } from "../../src/report/markdown.js";
import { perClassMetrics, accuracyOf, macroF1 } from "../../src/train/metrics.js";
import type { EvalResult } from "../../src/train/events.js";
import { xmlProblems } from "./xml.js";

const classes = ["a<b", "c&d", "e\"f"];
const confusion = [
  [5, 1, 0],
  [2, 3, 1],
  [0, 0, 4],
];
const perClass = perClassMetrics(confusion, classes);
const evalResult: EvalResult = { split: "test", n: 16, loss: 0.5, acc: accuracyOf(confusion), perClass, macroF1: macroF1(perClass), confusion, classes };

describe("SVG plots", () => {
  it("nice ticks cover the range with 1-2-5 steps", () => {
    const t = niceTicks(0, 1);
    expect(t).toHaveLength(6);
    [0, 0.2, 0.4, 0.6, 0.8, 1].forEach((v, i) => expect(t[i]).toBeCloseTo(v, 12));
    expect(niceTicks(0.31, 1.72, 5)[0]).toBeLessThanOrEqual(0.31);
    expect(niceTicks(0.31, 1.72, 5).at(-1)).toBeGreaterThanOrEqual(1.72);
    expect(niceTicks(1, 1).length).toBeGreaterThan(1);
  });

  it("escape text and stay well-formed with awkward class names", () => {
    for (const svg of [
      confusionSvg(confusion, classes),
      groupedBarsSvg({ title: "t<>", categories: classes, groups: [{ name: "train", values: [1, 2, 3] }], yLabel: "n" }),
      lineChart({ title: "Loss & co", xLabel: "Epoch", yLabel: "y", series: [{ name: "s<1>", points: [[1, 0.5], [2, Number.NaN], [3, 0.2]] }], marker: { x: 3, label: "best" } }),
      lineChart({ title: "empty", xLabel: "Epoch", yLabel: "y", series: [] }),
    ]) {
      expect(xmlProblems(svg)).toEqual([]);
      expect(svg).not.toMatch(/NaN|Infinity/);
    }
    expect(confusionSvg(confusion, classes)).toContain(">a&lt;b<");
  });

  it("the confusion heatmap has one cell per pair with counts", () => {
    const svg = confusionSvg(confusion, classes);
    expect(svg.match(/<rect [^>]*stroke="#ffffff"/g)).toHaveLength(9);
    expect(svg).toContain(">83%<"); // 5 of 6 in row a<b
  });
});

describe("report.md", () => {
  it("has the per-class table with hand-checked values and the confusion matrix", () => {
    const md = perClassMarkdown(evalResult);
    expect(md).toContain("| a<b | 0.714 | 0.833 | 0.769 | 6 |");
    expect(md).toContain("| c&d | 0.750 | 0.500 | 0.600 | 6 |");
    const full = reportMarkdown({ spec: "s", runId: "s-1", status: "completed", reason: "epochs", backend: "cpu", epochsDone: 1, bestEpoch: 1, history: [{ epoch: 1, loss: 1, acc: 0.5, lr: 0.001, timeMs: 1000 }], test: evalResult });
    expect(full).toContain("- accuracy: **75.00%**");
    expect(full).toContain("| **c&d** | 2 | 3 | 1 |");
    expect(full).toContain("| 1 * | 1.0000 | 50.00% | — | — | 1.00e-3 | 1.0s |");
  });
});
