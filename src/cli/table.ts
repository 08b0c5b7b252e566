/** The Keras-style model summary printed by `ferc check`. */
import type { ParamTotals } from "../ir.js";
import { PLAIN, type Style } from "./render.js";

export interface TableRow {
  readonly name: string;
  readonly kind: string;
  readonly outputShape: readonly number[];
  readonly params: number;
  readonly depth?: number;
}

export const formatCount = (n: number): string => n.toLocaleString("en-US");
export const formatShape = (s: readonly number[]): string => (s.length === 0 ? "?" : s.join("x"));

export function renderTable(rows: readonly TableRow[], totals: ParamTotals, style: Style = PLAIN): string {
  const head = ["Layer", "Kind", "Output shape", "Params"];
  const body = rows.map((r) => [
    `${"  ".repeat(r.depth ?? 0)}${r.name}`,
    r.kind,
    formatShape(r.outputShape),
    formatCount(r.params),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  const rule = "─".repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  return [
    style.bold(line(head)),
    rule,
    ...body.map(line),
    rule,
    `Trainable params:     ${formatCount(totals.trainable)}`,
    `Non-trainable params: ${formatCount(totals.nonTrainable)}`,
    style.bold(`Total params:         ${formatCount(totals.total)}`),
  ].join("\n");
}
