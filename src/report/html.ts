/**
 * `ferc report --html`: one self-contained page (no network: uPlot, styles and plots inline)
 * with each run's curves, confusion matrix, per-class table, class distribution and resolved
 * spec; with several runs, the runs side by side after a comparison (metric deltas against the
 * first run, semantic `ferc diff` of the specs, overlaid validation curves).
 */
import { renderDiff } from "../diff/index.js";
import type { EvalResult } from "../train/events.js";
import { overrideText } from "../run/asRun.js";
import { bestValAcc, compareRuns, metricDelta, showMetric, trainingMs } from "./compare.js";
import { CHART_SCRIPT, comparisonCharts, runCharts, uplotAssets, type ChartData } from "./htmlCharts.js";
import type { ReportRun } from "./htmlData.js";

export const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** JSON inside <script>: `<` escaped so no data can close the element. */
const jsonIsland = (v: unknown): string => JSON.stringify(v).replace(/</g, "\\u003c");

const pct = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? "—" : `${(v * 100).toFixed(2)}%`);
const fix = (v: number | undefined, d = 4): string => (v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(d));
const int = (v: number | undefined): string => (v === undefined ? "—" : v.toLocaleString("en-US"));

export function confusionTable(t: EvalResult): string {
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

export function perClassTable(t: EvalResult): string {
  const rows = t.perClass.map(
    (c) => `<tr><td>${esc(c.name)}</td><td>${fix(c.precision, 3)}</td><td>${fix(c.recall, 3)}</td><td>${fix(c.f1, 3)}</td><td>${int(c.support)}</td></tr>`,
  );
  return `<table class="num"><tr><th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>${rows.join("")}<tr class="total"><td>macro avg</td><td></td><td></td><td>${fix(t.macroF1, 3)}</td><td>${int(t.n)}</td></tr></table>`;
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
    ["overrides", r.overrides.length ? r.overrides.map((o) => esc(overrideText(o))).join("<br>") : "none (the spec as written)"],
    ...(m.git ? [["git", `${esc(m.git.revision.slice(0, 12))}${m.git.dirty ? " <b>(dirty tree)</b>" : ""} · ${esc(m.git.specPath)}`] as [string, string]] : []),
    ["params", r.totals ? `${int(r.totals.total)} (${int(r.totals.trainable)} trainable)` : "—"],
    ["test accuracy", rep.test ? `<b>${pct(rep.test.acc)}</b> (n=${int(rep.test.n)}${rep.test.tta ? `, tta ${esc(rep.test.tta)}` : ""})` : "not tested"],
    ["test loss", fix(rep.test?.loss)],
    ["macro F1", fix(rep.test?.macroF1, 3)],
  ];
  return `<table class="summary">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join("")}</table>`;
}

function runSection(r: ReportRun, i: number, charts: ChartData[], extra: string): string {
  const prefix = `run${i}`;
  const cs = runCharts(prefix, r.report.history, r.report.bestEpoch, r.spec?.dataset.classes ?? r.report.test?.classes);
  charts.push(...cs);
  const t = r.report.test;
  const classes = r.classesSvg
    ? `<img class="plot" alt="class distribution" src="data:image/svg+xml;base64,${Buffer.from(r.classesSvg).toString("base64")}">`
    : "<p class=\"muted\">no class distribution in this record</p>";
  return `<section class="run" id="${prefix}">
<h2>${esc(r.label)}</h2>
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
${extra}
<h3>Spec as run</h3>
<details open><summary>${esc(r.manifest.spec)} as trained: command-line overrides folded in, defaults filled, repeats expanded</summary><pre class="spec">${esc(r.resolved)}</pre></details>
</section>`;
}

function comparison(runs: readonly ReportRun[], charts: ChartData[]): string {
  const c = compareRuns(runs);
  const head = `<tr><th>metric</th>${runs.map((r, i) => `<th>${esc(r.label)}${i === 0 ? " (baseline)" : ""}</th>`).join("")}</tr>`;
  const rows = c.metrics.map((row) => {
    const cells = row.values.map((v, i) => {
      const d = i > 0 ? metricDelta(row, v, row.values[0]) : null;
      const delta = d ? ` <span class="delta${d.tone === "neutral" ? "" : ` ${d.tone}`}">${esc(d.text)}</span>` : "";
      return `<td>${esc(showMetric(row, v))}${delta}</td>`;
    });
    return `<tr><th>${esc(row.name)}</th>${cells.join("")}</tr>`;
  });
  const warnings = c.warnings.length ? `<div class="warn"><b>Not like for like:</b><ul>${c.warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul></div>` : "";
  const diffs = c.differences.map((d) => {
    const options = d.options.length ? `run options:\n${d.options.map((x) => `  ~ ${x}`).join("\n")}\n` : "";
    const spec = d.spec === null ? "a record has no readable spec.ir.json; no semantic diff\n" : renderDiff({ ...d.spec, old: { ...d.spec.old, label: d.from }, new: { ...d.spec.new, label: d.to } }, "text", { color: false });
    return `<h3>${esc(d.from)} → ${esc(d.to)}, as run</h3><pre class="diff">${esc(options + spec)}</pre>`;
  });
  const cs = comparisonCharts(runs.map((r) => ({ label: r.label, history: r.report.history })));
  charts.push(...cs);
  return `<section class="compare" id="compare">
<h2>Comparison (${runs.length} runs)</h2>
${warnings}
<table class="num deltas">${head}${rows.join("")}</table>
<div class="charts">${cs.map((x) => `<div class="chart" id="${x.id}"></div>`).join("\n")}</div>
${diffs.join("\n")}
</section>`;
}

export const STYLE = `
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
.faces { display: flex; flex-wrap: wrap; gap: 6px; }
.faces figure { margin: 0; text-align: center; font-size: 11px; color: #4b5563; }
.faces img { display: block; image-rendering: pixelated; }
.warn { background: #fef3c7; border: 1px solid #f59e0b; border-radius: 6px; padding: 6px 12px; margin: 8px 0; }
.warn ul { margin: 4px 0; padding-left: 20px; }
pre { background: #f3f4f6; padding: 10px; border-radius: 6px; overflow-x: auto; font-size: 12px; }
`;

export interface HtmlReportOptions {
  /** A heading instead of the runs' ids (a sweep's). */
  readonly title?: string;
  /** Lines about runs left out (a sweep's trials without records). */
  readonly notes?: readonly string[];
  /** Extra HTML per run, after its sections (the mistakes gallery), by run index. */
  readonly extra?: readonly string[];
}

/** The whole page for one or more run records. */
export async function htmlReport(runs: readonly ReportRun[], o: HtmlReportOptions = {}): Promise<string> {
  if (runs.length === 0) throw new Error("htmlReport needs at least one run");
  const { script, css } = uplotAssets();
  const charts: ChartData[] = [];
  const compare = runs.length > 1 ? comparison(runs, charts) : "";
  const sections = runs.map((r, i) => runSection(r, i, charts, o.extra?.[i] ?? ""));
  const title = o.title ?? (runs.length === 1 ? `ferc report — ${runs[0]!.manifest.runId}` : `ferc report — ${runs.length} runs`);
  const notes = o.notes?.length ? `<ul class="muted">${o.notes.map((x) => `<li>${esc(x)}</li>`).join("")}</ul>` : "";
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
${notes}
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
