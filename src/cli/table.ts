/** The Keras-style model summary printed by `ferc check`. */
import type { ParamTotals } from "../ir.js";
import { PLAIN, type Style } from "../render/style.js";

export interface TableRow {
  readonly name: string;
  readonly kind: string;
  readonly outputShape: readonly number[];
  readonly params: number;
  readonly depth?: number;
  /** Forward multiply-adds per image; absent when unknown. */
  readonly macs?: number;
}

export const formatCount = (n: number): string => n.toLocaleString("en-US");
export const formatShape = (s: readonly number[]): string => (s.length === 0 ? "?" : s.join("x"));

/** The model's multiply-adds: the top-level rows' sum, undefined when any is unknown. */
export function totalMacs(rows: readonly TableRow[]): number | undefined {
  let total = 0;
  for (const r of rows) {
    if (r.depth) continue;
    if (r.macs === undefined) return undefined;
    total += r.macs;
  }
  return total;
}

/** 11,579,520 -> "11.6 M" (the exact count is in the column). */
export const formatMacs = (n: number): string => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} G` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : String(n));

export function renderTable(rows: readonly TableRow[], totals: ParamTotals, style: Style = PLAIN): string {
  const head = ["Layer", "Kind", "Output shape", "Params", "Mult-adds"];
  const body = rows.map((r) => [
    `${"  ".repeat(r.depth ?? 0)}${r.name}`,
    r.kind,
    formatShape(r.outputShape),
    formatCount(r.params),
    r.macs === undefined ? "?" : formatCount(r.macs),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  const macs = totalMacs(rows);
  const rule = "─".repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  return [
    style.bold(line(head)),
    rule,
    ...body.map(line),
    rule,
    `Trainable params:     ${formatCount(totals.trainable)}`,
    `Non-trainable params: ${formatCount(totals.nonTrainable)}`,
    style.bold(`Total params:         ${formatCount(totals.total)}`),
    `Multiply-adds:        ${macs === undefined ? "unknown (a layer did not check)" : `${formatCount(macs)} per image, forward (${formatMacs(macs)})`}`,
  ].join("\n");
}
