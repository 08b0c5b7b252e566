/**
 * `ferc report --html`: one self-contained page (no network: uPlot, styles and plots inline)
 * with each run's curves, confusion matrix, per-class table, class distribution and resolved
 * spec; with several runs, the runs side by side after a comparison (metric deltas against the
 * first run, semantic `ferc diff` of the specs, overlaid validation curves).
 */
import { diffSpecs, renderDiff } from "../diff/index.js";
import type { EvalResult } from "../train/events.js";
import { CHART_SCRIPT, comparisonCharts, runCharts, uplotAssets, type ChartData } from "./htmlCharts.js";
import type { ReportRun } from "./htmlData.js";

export const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** JSON inside <script>: `<` escaped so no data can close the element. */
const jsonIsland = (v: unknown): string => JSON.stringify(v).replace(/</g, "\\u003c");

const pct = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? "—" : `${(v * 100).toFixed(2)}%`);
const fix = (v: number | undefined, d = 4): string => (v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(d));
const int = (v: number | undefined): string => (v === undefined ? "—" : v.toLocaleString("en-US"));

function confusionTable(t: EvalResult): string {
  const head = `<tr><th class="corner">true \\ predicted</th>${t.classes.map((c) => `<th>${esc(c)}</th>`).join("")}</tr>`;
  const rows = t.confusion.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    const cells = row.map((v, j) => {
      const share = total > 0 ? v / total : 0;
      const bg = `rgba(${i === j ? "5,150,105" : "37,99,235"},${(0.08 + 0.82 * share).toFixed(3)})`;
      const fg = share > 0.55 ? "#fff" : "#111827";
      const title = `true ${t.classes[i]} → predicted ${t.classes[j]}: ${v} (${(share * 100).toFixed(1)}% of ${total})`;
      return `<td style="background:${bg};color:${fg}" title="${esc(title)}">${v}</td>`;
    });
    return `<tr><th>${esc(t.classes[i] ?? String(i))}</th>${cells.join("")}</tr>`;
  });
  return `<table class="confusion" data-chart="confusion">${head}${rows.join("")}</table>`;
}

function perClassTable(t: EvalResult): string {
  const rows = t.perClass.map(
    (c) => `<tr><td>${esc(c.name)}</td><td>${fix(c.precision, 3)}</td><td>${fix(c.recall, 3)}</td><td>${fix(c.f1, 3)}</td><td>${int(c.support)}</td></tr>`,
  );
  return `<table class="num"><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>${rows.join("")}<tr class="total"><td>macro avg</td><td></td><td></td><td>${fix(t.macroF1, 3)}</td><td>${int(t.n)}</td></tr></table>`;
}

function trainingMs(r: ReportRun): number {
  return r.report.history.reduce((a, m) => a + m.timeMs, 0);
}

function bestValAcc(r: ReportRun): number | undefined {
  const vs = r.report.history.map((m) => m.valAcc).filter((v): v is number => v !== undefined);
  return vs.length ? Math.max(...vs) : undefined;
}

function summary(r: ReportRun): string {
  const m = r.manifest, rep = r.report;
  const rows: [string, string][] = [
    ["status", `${esc(rep.status)} (${esc(rep.reason)})`],
    ["backend", esc(rep.backend)],
    ["epochs", `${rep.epochsDone} (best ${rep.bestEpoch || "none"})`],
    ["training time", `${(trainingMs(r) / 1000).toFixed(1)} s`],
    ["augment", m.augment ? "on" : "off"],
    ["seed", String(m.seed)],
    ["params", r.totals ? `${int(r.totals.total)} (${int(r.totals.trainable)} trainable)` : "—"],
    ["test accuracy", rep.test ? `<b>${pct(rep.test.acc)}</b> (n=${int(rep.test.n)}${rep.test.tta ? `, tta ${esc(rep.test.tta)}` : ""})` : "not tested"],
    ["test loss", fix(rep.test?.loss)],
    ["macro F1", fix(rep.test?.macroF1, 3)],
  ];
  return `<table class="summary">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join("")}</table>`;
}

function runSection(r: ReportRun, i: number, charts: ChartData[]): string {
  const prefix = `run${i}`;
  const cs = runCharts(prefix, r.report.history, r.report.bestEpoch);
  charts.push(...cs);
  const t = r.report.test;
  const classes = r.classesSvg
    ? `<img class="plot" alt="class distribution" src="data:image/svg+xml;base64,${Buffer.from(r.classesSvg).toString("base64")}">`
    : "<p class=\"muted\">no class distribution in this record</p>";
  return `<section class="run" id="${prefix}">
<h2>${esc(r.manifest.runId)}</h2>
<p class="muted">${esc(r.dir)} · started ${esc(r.manifest.startedAt)}</p>
${summary(r)}
<h3>Curves</h3>
<div class="charts">${cs.map((c) => `<div class="chart" id="${c.id}"></div>`).join("\n")}</div>
<h3>Confusion matrix${t ? ` (${esc(t.split)}, n=${int(t.n)})` : ""}</h3>
${t ? confusionTable(t) : "<p class=\"muted\">the run stopped before testing</p>"}
<h3>Per class</h3>
${t ? perClassTable(t) : "<p class=\"muted\">—</p>"}
<h3>Class distribution</h3>
${classes}
<h3>Resolved spec</h3>
<details open><summary>${esc(r.manifest.spec)} (defaults filled, repeats expanded)</summary><pre class="spec">${esc(r.resolved)}</pre></details>
</section>`;
}

/** `higherIsBetter` null: a difference that is neither good nor bad (epochs, size, time). */
function delta(v: number | undefined, base: number | undefined, fmt: (x: number) => string, higherIsBetter: boolean | null): string {
  if (v === undefined || base === undefined || !Number.isFinite(v) || !Number.isFinite(base)) return "";
  const d = v - base;
  if (d === 0) return ` <span class="delta">±0</span>`;
  const tone = higherIsBetter === null ? "" : (higherIsBetter ? d > 0 : d < 0) ? " good" : " bad";
  return ` <span class="delta${tone}">${d > 0 ? "+" : "−"}${fmt(Math.abs(d))}</span>`;
}

function comparison(runs: readonly ReportRun[], charts: ChartData[]): string {
  const base = runs[0]!;
  type Metric = [string, (r: ReportRun) => number | undefined, (x: number) => string, boolean | null];
  const pp = (x: number) => `${(x * 100).toFixed(2)} pp`;
  const metrics: Metric[] = [
    ["test accuracy", (r) => r.report.test?.acc, pp, true],
    ["test loss", (r) => r.report.test?.loss, (x) => x.toFixed(4), false],
    ["macro F1", (r) => r.report.test?.macroF1, (x) => x.toFixed(3), true],
    ["best val accuracy", bestValAcc, pp, true],
    ["epochs", (r) => r.report.epochsDone, (x) => String(x), null],
    ["params", (r) => r.totals?.total, (x) => x.toLocaleString("en-US"), null],
    ["training time (s)", (r) => trainingMs(r) / 1000, (x) => x.toFixed(1), null],
  ];
  const show = (name: string, v: number | undefined): string =>
    v === undefined ? "—" : name.includes("accuracy") ? pct(v) : name === "params" || name === "epochs" ? int(v) : name.startsWith("training") ? v.toFixed(1) : fix(v, name === "macro F1" ? 3 : 4);
  const head = `<tr><th>metric</th>${runs.map((r, i) => `<th>${esc(r.manifest.runId)}${i === 0 ? " (baseline)" : ""}</th>`).join("")}</tr>`;
  const rows = metrics.map(([name, f, fmt, hib]) => `<tr><th>${name}</th>${runs.map((r, i) => `<td>${show(name, f(r))}${i > 0 ? delta(f(r), f(base), fmt, hib) : ""}</td>`).join("")}</tr>`);
  const diffs = runs.slice(1).map((r) => {
    const d = diffSpecs(base.source, r.source, { oldLabel: base.manifest.runId, newLabel: r.manifest.runId });
    const text = d.ok ? renderDiff(d, "text", { color: false }) : "the specs could not both be checked; no semantic diff";
    return `<h3>ferc diff ${esc(base.manifest.runId)} → ${esc(r.manifest.runId)}</h3><pre class="diff">${esc(text)}</pre>`;
  });
  const cs = comparisonCharts(runs.map((r) => ({ label: r.manifest.runId, history: r.report.history })));
  charts.push(...cs);
  return `<section class="compare" id="compare">
<h2>Comparison (${runs.length} runs)</h2>
<table class="num deltas">${head}${rows.join("")}</table>
<div class="charts">${cs.map((c) => `<div class="chart" id="${c.id}"></div>`).join("\n")}</div>
${diffs.join("\n")}
</section>`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111827; margin: 24px; background: #fafafa; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 8px 0 2px; } h3 { font-size: 15px; margin: 18px 0 6px; }
.muted { color: #6b7280; margin: 0 0 8px; }
.runs { display: grid; grid-template-columns: repeat(var(--n), minmax(520px, 1fr)); gap: 20px; overflow-x: auto; }
section { background: #fff; border: 1px solid #e5e7eb; border-radius: 8px; padding: 14px 18px; min-width: 0; }
section.compare { margin-bottom: 20px; }
table { border-collapse: collapse; margin: 4px 0; }
th, td { padding: 3px 8px; border-bottom: 1px solid #f0f0f0; text-align: left; }
table.num td { text-align: right; font-variant-numeric: tabular-nums; }
table.summary th { color: #4b5563; font-weight: 500; }
table.confusion td { text-align: center; min-width: 44px; font-variant-numeric: tabular-nums; border: 1px solid #fff; }
table.confusion th { font-weight: 500; font-size: 12px; }
tr.total td { font-weight: 600; }
.delta { font-size: 12px; } .delta.good { color: #047857; } .delta.bad { color: #b91c1c; }
.chart { margin: 6px 0 10px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.charts .chart { flex: 1 1 420px; min-width: 0; }
img.plot { max-width: 100%; }
pre { background: #f3f4f6; padding: 10px; border-radius: 6px; overflow-x: auto; font-size: 12px; }
`;

/** The whole page for one or more run records. */
export async function htmlReport(runs: readonly ReportRun[]): Promise<string> {
  if (runs.length === 0) throw new Error("htmlReport needs at least one run");
  const { script, css } = uplotAssets();
  const charts: ChartData[] = [];
  const compare = runs.length > 1 ? comparison(runs, charts) : "";
  const sections = runs.map((r, i) => runSection(r, i, charts));
  const title = runs.length === 1 ? `ferc report — ${runs[0]!.manifest.runId}` : `ferc report — ${runs.length} runs`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${css}</style>
<style>${STYLE}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="muted">generated by ferc report --html · hover a chart to read every series at that epoch</p>
${compare}
<div class="runs" style="--n:${runs.length}">
${sections.join("\n")}
</div>
<script id="ferc-charts" type="application/json">${jsonIsland(charts)}</script>
<script>${script}</script>
<script>${CHART_SCRIPT}</script>
</body>
</html>
`;
}
