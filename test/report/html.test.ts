/** The HTML report as text: self-contained, escaped, one section per run, deltas against the first. */
import { describe, expect, it } from "vitest";
import { htmlReport } from "../../src/report/html.js";
import type { ReportRun } from "../../src/report/htmlData.js";
import type { RunManifest } from "../../src/run/manifest.js";
import { perClassMetrics, accuracyOf, macroF1 } from "../../src/train/metrics.js";

const EVIL = ["</script><img src=x onerror=alert(1)>", "b&b", 'c"c'];

function fakeRun(id: string, acc: number, epochs: number): ReportRun {
  const confusion = [
    [5, 1, 0],
    [2, 3, 1],
    [0, 0, 4],
  ];
  const perClass = perClassMetrics(confusion, EVIL);
  const history = Array.from({ length: epochs }, (_, i) => ({ epoch: i + 1, loss: 1 / (i + 1), acc: 0.5 + i * 0.05, valLoss: 1.2 / (i + 1), valAcc: 0.4 + i * 0.05, lr: 1e-3, timeMs: 1000 }));
  const manifest = { runId: id, spec: "x", seed: 1, augment: false, startedAt: "2026-12-01T00:00:00Z" } as unknown as RunManifest;
  return {
    dir: `runs/${id}`,
    label: id,
    manifest,
    report: { spec: "x", runId: id, status: "completed", reason: "epochs", backend: "cpu", epochsDone: epochs, bestEpoch: epochs, history, test: { split: "test", n: 16, loss: 0.5, acc, perClass, macroF1: macroF1(perClass), confusion, classes: EVIL } },
    source: `spec x\n# ${EVIL[0]}\n`,
    spec: null,
    overrides: [],
    resolved: `spec x # ${EVIL[0]}`,
    totals: { trainable: 10, nonTrainable: 0, total: 10 },
    classesSvg: "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
  };
}

describe("htmlReport", () => {
  it("escapes every recorded string and keeps data from closing the script element", async () => {
    const html = await htmlReport([fakeRun("a", accuracyOf([[1]]), 3)]);
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;");
    // The only </script> tags are the three the page itself closes.
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    // The record's SVG is an <img> (scripts in it never run), not inline markup.
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toMatch(/<img class="plot" alt="class distribution" src="data:image\/svg\+xml;base64,/);
  });

  it("loads nothing from the network: no src/href to http(s), a CSP that allows none", async () => {
    const html = await htmlReport([fakeRun("a", 0.5, 2)]);
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
    expect(html).toContain(`content="default-src 'none'`);
    expect(html).toContain("uPlot");
  });

  it("several runs: a comparison with deltas against the first, then one section per run", async () => {
    const html = await htmlReport([fakeRun("a", 0.5, 2), fakeRun("b", 0.625, 4)]);
    expect(html.match(/<section class="run"/g)).toHaveLength(2);
    expect(html).toContain('id="compare"');
    expect(html).toMatch(/62\.50%[^<]*<span class="delta good">\+12\.50 pp<\/span>/);
    expect(html).toContain("a → b, as run");
  });
});
