/**
 * Hand-written SVG plots (no charting dependency): line charts for the training curves, a
 * confusion-matrix heatmap and grouped bars for the class distribution. Output is standalone,
 * well-formed SVG 1.1 that browsers and image viewers open directly.
 */

const FONT = `font-family="Helvetica, Arial, sans-serif"`;
const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"];

/** Escape text for XML content and attribute values. */
export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** Round to 2 decimals for compact coordinates. */
function f(n: number): string {
  return (Math.round(n * 100) / 100).toString();
}

/** "Nice" tick values (1, 2, 5 × 10^k steps) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const start = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let v = start; v <= max + step * 1e-9; v += step) ticks.push(Math.round(v / step) * step);
  if (ticks[ticks.length - 1]! < max) ticks.push(ticks[ticks.length - 1]! + step);
  return ticks;
}

function tickLabel(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1);
  return Number(v.toPrecision(4)).toString();
}

function header(width: number, height: number, title: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n` +
    `<title>${esc(title)}</title>\n` +
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>\n` +
    `<text x="${f(width / 2)}" y="24" text-anchor="middle" font-size="16" font-weight="bold" ${FONT}>${esc(title)}</text>\n`
  );
}

export interface Series {
  readonly name: string;
  /** [x, y] points; non-finite y values are skipped (gaps). */
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
}

export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly width?: number;
  readonly height?: number;
  /** Force the y range to include these (e.g. [0, 1] for accuracy). */
  readonly yDomain?: readonly [number, number];
  /** Mark an x value with a vertical dashed line (best epoch). */
  readonly marker?: { readonly x: number; readonly label: string };
}

export function lineChart(o: LineChartOptions): string {
  // The legend beside the plot is as wide as its longest name (run ids in a comparison are long).
  const legend = Math.max(150, 46 + 7 * Math.max(0, ...o.series.map((s) => s.name.length)));
  const width = o.width ?? 490 + legend;
  const height = o.height ?? 400;
  const m = { left: 70, right: legend, top: 40, bottom: 56 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const pts = o.series.flatMap((s) => s.points.filter(([, y]) => Number.isFinite(y)));
  const xs = pts.map(([x]) => x);
  const ys = pts.map(([, y]) => y);
  const xTicks = niceTicks(Math.min(1, ...xs), Math.max(2, ...xs), Math.min(10, Math.max(1, Math.max(...xs, 1) - 1)))
    .filter((v) => Number.isInteger(v));
  const yMin = Math.min(...ys, ...(o.yDomain ? [o.yDomain[0]] : []));
  const yMax = Math.max(...ys, ...(o.yDomain ? [o.yDomain[1]] : []));
  const yTicks = niceTicks(ys.length ? yMin : 0, ys.length ? yMax : 1);
  const x0 = xTicks[0]!;
  const x1 = xTicks[xTicks.length - 1]!;
  const y0 = yTicks[0]!;
  const y1 = yTicks[yTicks.length - 1]!;
  const sx = (x: number) => m.left + ((x - x0) / (x1 - x0 || 1)) * pw;
  const sy = (y: number) => m.top + ph - ((y - y0) / (y1 - y0 || 1)) * ph;

  let out = header(width, height, o.title);
  // Grid and ticks.
  for (const t of yTicks) {
    out += `<line x1="${f(m.left)}" y1="${f(sy(t))}" x2="${f(m.left + pw)}" y2="${f(sy(t))}" stroke="#e5e5e5" stroke-width="1"/>\n`;
    out += `<text x="${f(m.left - 8)}" y="${f(sy(t) + 4)}" text-anchor="end" font-size="11" ${FONT}>${esc(tickLabel(t))}</text>\n`;
  }
  for (const t of xTicks) {
    out += `<line x1="${f(sx(t))}" y1="${f(m.top + ph)}" x2="${f(sx(t))}" y2="${f(m.top + ph + 5)}" stroke="#333333" stroke-width="1"/>\n`;
    out += `<text x="${f(sx(t))}" y="${f(m.top + ph + 18)}" text-anchor="middle" font-size="11" ${FONT}>${esc(tickLabel(t))}</text>\n`;
  }
  // Axes.
  out += `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${f(m.top + ph)}" stroke="#333333" stroke-width="1.5"/>\n`;
  out += `<line x1="${m.left}" y1="${f(m.top + ph)}" x2="${f(m.left + pw)}" y2="${f(m.top + ph)}" stroke="#333333" stroke-width="1.5"/>\n`;
  out += `<text x="${f(m.left + pw / 2)}" y="${f(height - 14)}" text-anchor="middle" font-size="13" ${FONT}>${esc(o.xLabel)}</text>\n`;
  out += `<text x="18" y="${f(m.top + ph / 2)}" text-anchor="middle" font-size="13" transform="rotate(-90 18 ${f(m.top + ph / 2)})" ${FONT}>${esc(o.yLabel)}</text>\n`;
  if (o.marker && o.marker.x >= x0 && o.marker.x <= x1) {
    const x = sx(o.marker.x);
    out += `<line x1="${f(x)}" y1="${m.top}" x2="${f(x)}" y2="${f(m.top + ph)}" stroke="#888888" stroke-width="1" stroke-dasharray="3 3"/>\n`;
    // In the right half the label goes left of the line, clear of the legend beside the plot.
    const leftOfLine = x > m.left + pw / 2;
    out += `<text x="${f(leftOfLine ? x - 4 : x + 4)}" y="${m.top + 12}" font-size="11" fill="#555555"${leftOfLine ? ' text-anchor="end"' : ""} ${FONT}>${esc(o.marker.label)}</text>\n`;
  }
  // Series.
  o.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]!;
    const p = s.points.filter(([, y]) => Number.isFinite(y));
    if (p.length > 1) {
      const d = p.map(([x, y], j) => `${j === 0 ? "M" : "L"}${f(sx(x))} ${f(sy(y))}`).join(" ");
      out += `<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ` stroke-dasharray="6 4"` : ""}/>\n`;
    }
    for (const [x, y] of p) out += `<circle cx="${f(sx(x))}" cy="${f(sy(y))}" r="3" fill="${color}"/>\n`;
    // Legend entry.
    const ly = m.top + 10 + i * 20;
    const lx = m.left + pw + 16;
    out += `<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${color}" stroke-width="2"${s.dashed ? ` stroke-dasharray="6 4"` : ""}/>\n`;
    out += `<text x="${lx + 30}" y="${ly + 4}" font-size="12" ${FONT}>${esc(s.name)}</text>\n`;
  });
  return out + `</svg>\n`;
}

/** White → blue by row-normalised share; text switches to white on dark cells. */
function heat(share: number): string {
  const t = Math.max(0, Math.min(1, share));
  const r = Math.round(255 - t * (255 - 8));
  const g = Math.round(255 - t * (255 - 69));
  const b = Math.round(255 - t * (255 - 148));
  return `rgb(${r},${g},${b})`;
}

export function confusionSvg(confusion: readonly (readonly number[])[], classes: readonly string[], title = "Confusion matrix (test)"): string {
  const k = classes.length;
  const cell = k <= 7 ? 64 : Math.max(24, Math.floor(448 / k));
  const m = { left: 110, top: 70, right: 30, bottom: 90 };
  const width = m.left + k * cell + m.right;
  const height = m.top + k * cell + m.bottom;
  let out = header(width, height, title);
  for (let r = 0; r < k; r++) {
    const row = confusion[r] ?? [];
    const total = row.reduce((s, v) => s + v, 0);
    for (let c = 0; c < k; c++) {
      const v = row[c] ?? 0;
      const share = total > 0 ? v / total : 0;
      const x = m.left + c * cell;
      const y = m.top + r * cell;
      out += `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${heat(share)}" stroke="#ffffff" stroke-width="1"/>\n`;
      const fill = share > 0.5 ? "#ffffff" : "#222222";
      out += `<text x="${f(x + cell / 2)}" y="${f(y + cell / 2)}" text-anchor="middle" font-size="12" fill="${fill}" ${FONT}>${v}</text>\n`;
      if (cell >= 48) {
        out += `<text x="${f(x + cell / 2)}" y="${f(y + cell / 2 + 14)}" text-anchor="middle" font-size="9" fill="${fill}" ${FONT}>${(share * 100).toFixed(0)}%</text>\n`;
      }
    }
    out += `<text x="${m.left - 8}" y="${f(m.top + r * cell + cell / 2 + 4)}" text-anchor="end" font-size="12" ${FONT}>${esc(classes[r]!)}</text>\n`;
  }
  for (let c = 0; c < k; c++) {
    const x = m.left + c * cell + cell / 2;
    const y = m.top + k * cell + 10;
    out += `<text x="${f(x)}" y="${y}" text-anchor="end" font-size="12" transform="rotate(-40 ${f(x)} ${y})" ${FONT}>${esc(classes[c]!)}</text>\n`;
  }
  out += `<text x="${f(m.left + (k * cell) / 2)}" y="${height - 12}" text-anchor="middle" font-size="13" ${FONT}>Predicted class</text>\n`;
  out += `<text x="16" y="${f(m.top + (k * cell) / 2)}" text-anchor="middle" font-size="13" transform="rotate(-90 16 ${f(m.top + (k * cell) / 2)})" ${FONT}>True class</text>\n`;
  out += `<text x="${f(m.left + (k * cell) / 2)}" y="${m.top - 10}" text-anchor="middle" font-size="11" fill="#555555" ${FONT}>cell: count and share of the true class (row)</text>\n`;
  return out + `</svg>\n`;
}

export interface GroupedBarsOptions {
  readonly title: string;
  readonly categories: readonly string[];
  readonly groups: readonly { readonly name: string; readonly values: readonly number[] }[];
  readonly yLabel: string;
}

export function groupedBarsSvg(o: GroupedBarsOptions): string {
  const m = { left: 70, right: 120, top: 40, bottom: 80 };
  const k = o.categories.length;
  const g = o.groups.length;
  const slot = Math.max(40, g * 16 + 16);
  const width = m.left + k * slot + m.right;
  const height = 400;
  const ph = height - m.top - m.bottom;
  const max = Math.max(1, ...o.groups.flatMap((x) => x.values));
  const ticks = niceTicks(0, max);
  const top = ticks[ticks.length - 1]!;
  const sy = (v: number) => m.top + ph - (v / top) * ph;
  let out = header(width, height, o.title);
  for (const t of ticks) {
    out += `<line x1="${m.left}" y1="${f(sy(t))}" x2="${m.left + k * slot}" y2="${f(sy(t))}" stroke="#e5e5e5" stroke-width="1"/>\n`;
    out += `<text x="${m.left - 8}" y="${f(sy(t) + 4)}" text-anchor="end" font-size="11" ${FONT}>${esc(tickLabel(t))}</text>\n`;
  }
  const bw = (slot - 16) / Math.max(1, g);
  o.categories.forEach((cat, ci) => {
    o.groups.forEach((grp, gi) => {
      const v = grp.values[ci] ?? 0;
      const x = m.left + ci * slot + 8 + gi * bw;
      out += `<rect x="${f(x)}" y="${f(sy(v))}" width="${f(bw - 1)}" height="${f(m.top + ph - sy(v))}" fill="${PALETTE[gi % PALETTE.length]}"><title>${esc(`${grp.name} ${cat}: ${v}`)}</title></rect>\n`;
    });
    const cx = m.left + ci * slot + slot / 2;
    const cy = m.top + ph + 14;
    out += `<text x="${f(cx)}" y="${cy}" text-anchor="end" font-size="12" transform="rotate(-35 ${f(cx)} ${cy})" ${FONT}>${esc(cat)}</text>\n`;
  });
  out += `<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + ph}" stroke="#333333" stroke-width="1.5"/>\n`;
  out += `<line x1="${m.left}" y1="${m.top + ph}" x2="${m.left + k * slot}" y2="${m.top + ph}" stroke="#333333" stroke-width="1.5"/>\n`;
  out += `<text x="18" y="${f(m.top + ph / 2)}" text-anchor="middle" font-size="13" transform="rotate(-90 18 ${f(m.top + ph / 2)})" ${FONT}>${esc(o.yLabel)}</text>\n`;
  o.groups.forEach((grp, gi) => {
    const lx = m.left + k * slot + 16;
    const ly = m.top + 10 + gi * 20;
    out += `<rect x="${lx}" y="${ly - 8}" width="14" height="14" fill="${PALETTE[gi % PALETTE.length]}"/>\n`;
    out += `<text x="${lx + 20}" y="${ly + 4}" font-size="12" ${FONT}>${esc(grp.name)}</text>\n`;
  });
  return out + `</svg>\n`;
}
