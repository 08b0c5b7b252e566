/**
 * Comparing run records: what the Markdown (`ferc report a b`) and HTML comparisons both say.
 * Metric deltas against the first run (the baseline), what differs between the runs as they ran
 * (run options such as `--augment` or `--limit`, then `ferc diff` of the specs as run, overrides
 * folded in), and warnings where the runs were not measured alike (different data, test or
 * validation sizes), since then a delta is not the effect of the differences listed.
 */
import { diffIR, renderDiff, type DiffResult } from "../diff/index.js";
import type { EpochMetrics } from "../train/events.js";
import type { ReportRun } from "./htmlData.js";
import { lineChart } from "./svg.js";

export type Direction = "higher" | "lower" | null;

export interface MetricRow {
  readonly name: string;
  /** One value per run, in the runs' order (undefined where a run has none). */
  readonly values: readonly (number | undefined)[];
  /** Which way is better; null: a difference that is neither good nor bad (epochs, size, time). */
  readonly better: Direction;
  readonly kind: "pct" | "loss" | "f1" | "count" | "seconds";
}

export interface RunDifference {
  readonly from: string;
  readonly to: string;
  /** Run options that differ: `augment off → on`, `limit 200 → all`. */
  readonly options: readonly string[];
  /** The semantic diff of the two specs as run; null when either record has no readable spec.ir.json. */
  readonly spec: DiffResult | null;
}

export interface Comparison {
  readonly runs: readonly ReportRun[];
  readonly metrics: readonly MetricRow[];
  readonly differences: readonly RunDifference[];
  /** Reasons the runs' figures are not like for like. */
  readonly warnings: readonly string[];
}

export const trainingMs = (r: ReportRun): number => r.report.history.reduce((a, m) => a + m.timeMs, 0);

export function bestValAcc(r: ReportRun): number | undefined {
  const vs = r.report.history.map((m) => m.valAcc).filter((v): v is number => v !== undefined);
  return vs.length ? Math.max(...vs) : undefined;
}

export function compareRuns(runs: readonly ReportRun[]): Comparison {
  const metric = (name: string, kind: MetricRow["kind"], better: Direction, f: (r: ReportRun) => number | undefined): MetricRow => ({ name, kind, better, values: runs.map(f) });
  const metrics = [
    metric("test accuracy", "pct", "higher", (r) => r.report.test?.acc),
    metric("test loss", "loss", "lower", (r) => r.report.test?.loss),
    metric("macro F1", "f1", "higher", (r) => r.report.test?.macroF1),
    metric("best val accuracy", "pct", "higher", bestValAcc),
    metric("epochs", "count", null, (r) => r.report.epochsDone),
    metric("params", "count", null, (r) => r.totals?.total),
    metric("training time (s)", "seconds", null, (r) => trainingMs(r) / 1000),
  ];
  const base = runs[0]!;
  const differences = runs.slice(1).map((r) => ({
    from: base.label,
    to: r.label,
    options: optionChanges(base, r),
    spec: base.spec && r.spec ? diffIR(base.spec, r.spec) : null,
  }));
  return { runs, metrics, differences, warnings: comparabilityWarnings(runs) };
}

/** The run options that are not spec settings, as each record has them. */
function runOptions(r: ReportRun): Record<string, string> {
  const flag = (name: string): string | undefined => {
    const o = r.overrides.find((x) => x.flag === name);
    return o === undefined ? undefined : String(o.value);
  };
  return {
    augment: r.manifest.augment ? "on" : "off",
    limit: flag("limit") ?? "all",
    "time-limit": flag("time-limit") ?? "none",
    backend: r.manifest.backend,
  };
}

function optionChanges(a: ReportRun, b: ReportRun): string[] {
  const x = runOptions(a), y = runOptions(b);
  return Object.keys(x).filter((k) => x[k] !== y[k]).map((k) => `${k} ${x[k]} → ${y[k]}`);
}

const n = (v: number): string => v.toLocaleString("en-US");

/** Where the runs' figures do not measure the same thing: each difference, naming the runs. */
export function comparabilityWarnings(runs: readonly ReportRun[]): string[] {
  const out: string[] = [];
  const differs = (what: string, f: (r: ReportRun) => string | undefined, why: string): void => {
    const vs = runs.map(f);
    if (vs.some((v) => v === undefined) || new Set(vs).size < 2) return;
    out.push(`${what} differs: ${runs.map((r, i) => `${vs[i]} (${r.label})`).join(", ")}; ${why}`);
  };
  differs("the data", (r) => (r.manifest.dataHash ? `hash ${r.manifest.dataHash.slice(0, 12)}` : undefined), "the runs read different data sets");
  differs("the test split", (r) => (r.report.test ? `n=${n(r.report.test.n)}` : r.report.data ? `n=${n(r.report.data.test)}` : undefined), "test figures are on different images");
  differs("the validation split", (r) => (r.report.data ? `n=${n(r.report.data.val)}` : undefined), "validation figures are on different images");
  differs("the training set", (r) => (r.report.data ? `n=${n(r.report.data.train)}` : undefined), "the runs trained on different numbers of images");
  differs("test-time augmentation", (r) => (r.report.test ? (r.report.test.tta ?? "none") : undefined), "test accuracy with and without it is not the same measurement");
  return out;
}

// ---------------------------------------------------------------- Markdown

const pct = (v: number): string => `${(v * 100).toFixed(2)}%`;

export function showMetric(row: MetricRow, v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return "—";
  switch (row.kind) {
    case "pct":
      return pct(v);
    case "loss":
      return v.toFixed(4);
    case "f1":
      return v.toFixed(3);
    case "count":
      return n(v);
    case "seconds":
      return v.toFixed(1);
  }
}

/** The delta of `v` against `base` in the row's unit (`+5.24 pp`), and whether it is good. */
export function metricDelta(row: MetricRow, v: number | undefined, base: number | undefined): { text: string; tone: "good" | "bad" | "neutral" } | null {
  if (v === undefined || base === undefined || !Number.isFinite(v) || !Number.isFinite(base)) return null;
  const d = v - base;
  if (d === 0) return { text: "±0", tone: "neutral" };
  const size = Math.abs(d);
  const body = row.kind === "pct" ? `${(size * 100).toFixed(2)} pp` : row.kind === "count" ? n(size) : row.kind === "seconds" ? size.toFixed(1) : row.kind === "f1" ? size.toFixed(3) : size.toFixed(4);
  const tone = row.better === null ? "neutral" : (row.better === "higher") === d > 0 ? "good" : "bad";
  return { text: `${d > 0 ? "+" : "−"}${body}`, tone };
}

const cell = (s: string): string => s.replace(/\|/g, "\\|");

/** The overlaid curves of a comparison: file names (relative to the report) and their SVG text. */
export interface CurveFile {
  readonly name: string;
  readonly alt: string;
}

export interface ComparisonMarkdownOptions {
  readonly title?: string;
  /** Each run's directory as a link from where the report is (posix, relative). */
  readonly linkTo: (r: ReportRun) => string;
  /** The overlaid curves written beside the report; none when the report goes to stdout. */
  readonly curves: readonly CurveFile[];
  /** Lines about runs that could not be included (a sweep's trials without a record). */
  readonly notes?: readonly string[];
}

/** One Markdown comparison: warnings, the metric table with deltas, the differences, the curves. */
export function comparisonMarkdown(c: Comparison, o: ComparisonMarkdownOptions): string {
  const runs = c.runs;
  const out = [`# ${o.title ?? `Comparison of ${runs.length} runs`}`, ""];
  out.push(`Baseline: **${cell(runs[0]!.label)}**; deltas are against it. Each run's own report: ${runs.map((r) => `[${cell(r.label)}](${o.linkTo(r)}/report.md)`).join(", ")}.`, "");
  for (const note of o.notes ?? []) out.push(`- ${note}`);
  if (o.notes?.length) out.push("");
  if (c.warnings.length) {
    out.push("**Not like for like:**", "", ...c.warnings.map((w) => `- ⚠ ${w}`), "");
  }
  out.push(`| metric | ${runs.map((r, i) => `${cell(r.label)}${i === 0 ? " (baseline)" : ""}`).join(" | ")} |`, `|---|${runs.map(() => "---:").join("|")}|`);
  for (const row of c.metrics) {
    const base = row.values[0];
    const cells = row.values.map((v, i) => {
      const d = i > 0 ? metricDelta(row, v, base) : null;
      return `${showMetric(row, v)}${d ? ` (${d.text})` : ""}`;
    });
    out.push(`| ${row.name} | ${cells.join(" | ")} |`);
  }
  out.push("");
  for (const d of c.differences) {
    out.push(`## What differs: ${d.from} → ${d.to}`, "");
    if (d.options.length) out.push("Run options:", "", ...d.options.map((x) => `- \`${x}\``), "");
    if (d.spec === null) out.push("Spec as run: one of the records has no readable spec.ir.json; no semantic diff.", "");
    else if (d.spec.equivalent) out.push(d.options.length ? "Spec as run: no semantic changes." : "Spec as run: no semantic changes; the runs differ only in their randomness and the machine they ran on.", "");
    else out.push(renderDiff({ ...d.spec, old: { ...d.spec.old, label: `${d.from} (as run)` }, new: { ...d.spec.new, label: `${d.to} (as run)` } }, "markdown").trim(), "");
  }
  out.push("## Curves", "");
  if (o.curves.length) out.push(o.curves.map((f) => `![${f.alt}](${f.name})`).join(" "), "");
  else out.push("(Overlaid curves are SVG files written beside the report: `ferc report … -o compare.md`.)", "");
  return `${out.join("\n")}`;
}

/** Validation accuracy and loss per epoch of every run, for overlaid curves. */
export function curveSeries(runs: readonly ReportRun[], pick: (m: EpochMetrics) => number | undefined): { name: string; points: [number, number][] }[] {
  return runs.map((r) => ({
    name: r.label,
    points: r.report.history.flatMap((m) => {
      const v = pick(m);
      return v === undefined || !Number.isFinite(v) ? [] : [[m.epoch, v] as [number, number]];
    }),
  }));
}

/** The overlaid curves as SVG files: validation accuracy and loss, train loss; `stem` names them. */
export function comparisonCurves(runs: readonly ReportRun[], stem: string): (CurveFile & { readonly svg: string })[] {
  const chart = (suffix: string, title: string, yLabel: string, pick: (m: EpochMetrics) => number | undefined, yDomain?: readonly [number, number]) => {
    const series = curveSeries(runs, pick).filter((s) => s.points.length > 0);
    return series.length === 0 ? [] : [{ name: `${stem}.${suffix}.svg`, alt: title, svg: lineChart({ title, xLabel: "Epoch", yLabel, series, ...(yDomain ? { yDomain } : {}) }) }];
  };
  return [
    ...chart("val-acc", "Validation accuracy", "Accuracy", (m) => m.valAcc, [0, 1]),
    ...chart("val-loss", "Validation loss", "Cross-entropy loss", (m) => m.valLoss),
    ...chart("train-loss", "Training loss", "Cross-entropy loss", (m) => m.loss),
  ];
}
