/**
 * Interactive curves for the HTML report: uPlot (bundled into the page from the `uplot` package,
 * script and stylesheet inline, so the page needs no network). Hovering a chart moves a cursor
 * along the epochs and the legend shows every series' value there.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { EpochMetrics } from "../train/events.js";

export interface ChartSeries {
  readonly name: string;
  readonly color: string;
  readonly dashed: boolean;
  /** One value per x (null where the series has no point: a run without a val split). */
  readonly values: readonly (number | null)[];
}

export interface ChartData {
  /** Element id of the chart's container. */
  readonly id: string;
  readonly title: string;
  readonly yLabel: string;
  readonly x: readonly number[];
  readonly series: readonly ChartSeries[];
  /** Vertical marker (the best epoch), when there is one. */
  readonly marker?: { readonly x: number; readonly label: string };
  /** Fixed y range, e.g. [0, 1] for accuracy. */
  readonly yRange?: readonly [number, number];
}

export const PALETTE = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2", "#be185d", "#4b5563"] as const;

const require = createRequire(import.meta.url);

/** uPlot's IIFE build and stylesheet, read from the installed package. */
export function uplotAssets(): { script: string; css: string } {
  const js = require.resolve("uplot/dist/uPlot.iife.min.js");
  const css = require.resolve("uplot/dist/uPlot.min.css");
  return { script: readFileSync(js, "utf8"), css: readFileSync(css, "utf8") };
}

const pick = (history: readonly EpochMetrics[], f: (m: EpochMetrics) => number | undefined): (number | null)[] =>
  history.map((m) => {
    const v = f(m);
    return v === undefined || !Number.isFinite(v) ? null : v;
  });

/** Many classes need more colours than the palette: evenly spaced hues past it. */
const classColor = (i: number, k: number): string => (k <= PALETTE.length ? PALETTE[i]! : `hsl(${Math.round((360 * i) / k)}, 65%, 45%)`);

/**
 * Validation recall of each class per epoch (records from before it was recorded have none):
 * which faces the net learns first, and which it never does.
 */
export function perClassChart(prefix: string, history: readonly EpochMetrics[], classes: readonly string[], bestEpoch: number): ChartData[] {
  if (!history.some((m) => m.valRecall?.length === classes.length)) return [];
  return [
    {
      id: `${prefix}-recall`,
      title: "Validation recall per class",
      yLabel: "recall",
      x: history.map((m) => m.epoch),
      yRange: [0, 1],
      series: classes.map((name, i) => ({ name, color: classColor(i, classes.length), dashed: false, values: pick(history, (m) => m.valRecall?.[i]) })),
      ...(bestEpoch > 0 ? { marker: { x: bestEpoch, label: `best (epoch ${bestEpoch})` } } : {}),
    },
  ];
}

/** Loss and accuracy charts of one run (train solid, val dashed), and per-class recall when recorded. */
export function runCharts(prefix: string, history: readonly EpochMetrics[], bestEpoch: number, classes?: readonly string[]): ChartData[] {
  const x = history.map((m) => m.epoch);
  const marker = bestEpoch > 0 ? { marker: { x: bestEpoch, label: `best (epoch ${bestEpoch})` } } : {};
  return [
    {
      id: `${prefix}-loss`,
      title: "Loss",
      yLabel: "cross-entropy",
      x,
      series: [
        { name: "train loss", color: PALETTE[0], dashed: false, values: pick(history, (m) => m.loss) },
        { name: "val loss", color: PALETTE[1], dashed: true, values: pick(history, (m) => m.valLoss) },
      ],
      ...marker,
    },
    {
      id: `${prefix}-acc`,
      title: "Accuracy",
      yLabel: "accuracy",
      x,
      yRange: [0, 1],
      series: [
        { name: "train acc", color: PALETTE[0], dashed: false, values: pick(history, (m) => m.acc) },
        { name: "val acc", color: PALETTE[1], dashed: true, values: pick(history, (m) => m.valAcc) },
      ],
      ...marker,
    },
    ...(classes ? perClassChart(prefix, history, classes, bestEpoch) : []),
  ];
}

/** One chart per metric with every run as a series (x = the union of their epochs). */
export function comparisonCharts(runs: readonly { readonly label: string; readonly history: readonly EpochMetrics[] }[]): ChartData[] {
  const epochs = [...new Set(runs.flatMap((r) => r.history.map((m) => m.epoch)))].sort((a, b) => a - b);
  const along = (h: readonly EpochMetrics[], f: (m: EpochMetrics) => number | undefined) =>
    epochs.map((e) => {
      const m = h.find((x) => x.epoch === e);
      const v = m ? f(m) : undefined;
      return v === undefined || !Number.isFinite(v) ? null : v;
    });
  const chart = (id: string, title: string, yLabel: string, f: (m: EpochMetrics) => number | undefined, yRange?: readonly [number, number]): ChartData => ({
    id,
    title,
    yLabel,
    x: epochs,
    series: runs.map((r, i) => ({ name: r.label, color: PALETTE[i % PALETTE.length]!, dashed: false, values: along(r.history, f) })),
    ...(yRange ? { yRange } : {}),
  });
  return [chart("compare-valacc", "Validation accuracy", "accuracy", (m) => m.valAcc, [0, 1]), chart("compare-valloss", "Validation loss", "cross-entropy", (m) => m.valLoss)];
}

/**
 * The page script that draws every chart from the JSON island `#ferc-charts`. Plain ES2017 so it
 * runs in any current browser; marks each container `data-rendered` once drawn (the tests wait
 * for that).
 */
export const CHART_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById("ferc-charts").textContent);
  function markerPlugin(marker) {
    return {
      hooks: {
        draw: [function (u) {
          if (!marker) return;
          var x = Math.round(u.valToPos(marker.x, "x", true));
          var ctx = u.ctx;
          ctx.save();
          ctx.strokeStyle = "#6b7280";
          ctx.setLineDash([4, 4]);
          ctx.lineWidth = 1;
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          ctx.setLineDash([]);
          ctx.fillStyle = "#374151";
          ctx.font = (12 * devicePixelRatio) + "px sans-serif";
          var w = ctx.measureText(marker.label).width;
          var right = x + 6 + w < u.bbox.left + u.bbox.width;
          ctx.fillText(marker.label, right ? x + 6 : x - 6 - w, u.bbox.top + 14 * devicePixelRatio);
          ctx.restore();
        }]
      }
    };
  }
  data.forEach(function (c) {
    var el = document.getElementById(c.id);
    if (!el) return;
    var width = Math.max(320, Math.min(el.clientWidth || 560, 720));
    var opts = {
      title: c.title,
      width: width,
      height: 280,
      plugins: [markerPlugin(c.marker)],
      scales: { x: { time: false }, y: c.yRange ? { range: c.yRange } : {} },
      // Epochs are whole numbers: integer tick steps only.
      axes: [{ label: "epoch", incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }, { label: c.yLabel }],
      cursor: { points: { size: 8 } },
      series: [{ label: "epoch" }].concat(c.series.map(function (s) {
        return {
          label: s.name,
          stroke: s.color,
          width: 2,
          dash: s.dashed ? [6, 4] : undefined,
          spanGaps: true,
          points: { show: c.x.length <= 40 },
          value: function (u, v) { return v == null ? "—" : v.toFixed(4); }
        };
      }))
    };
    new uPlot(opts, [c.x].concat(c.series.map(function (s) { return s.values; })), el);
    el.setAttribute("data-rendered", "true");
  });
  document.body.setAttribute("data-charts", String(data.length));
})();
`;
