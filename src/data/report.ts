/** A plain-text rendering of a DataReport for the CLI and run logs. */
import type { DataReport, PerSplit } from "./types.js";

const fmt = (n: number): string => n.toLocaleString("en-US");
const per = (p: PerSplit<number>): string => `train ${fmt(p.train)}, val ${fmt(p.val)}, test ${fmt(p.test)}`;

export function formatDataReport(r: DataReport): string {
  const d = r.droppedDuplicates;
  const lines = [
    `source:      ${r.source} (cache ${r.cache})`,
    `images:      ${per(r.before)}`,
    `blank:       dropped ${per(r.droppedBlank)}`,
    `duplicates:  dropped ${per(d.withinSplit)} within splits; ${fmt(d.trainInValOrTest)} train images also in val/test removed from train; ${fmt(d.valTestShared)} shared by val and test (kept)`,
    `after clean: ${per(r.after)}${r.test === "kept whole" ? " (test kept whole: clean { test clean } drops from it too)" : ""}`,
  ];
  const c = r.conversions;
  if (c.colourToGrey + c.greyToColour + c.resized > 0) {
    lines.push(`converted:   ${fmt(c.colourToGrey)} colour -> grey, ${fmt(c.greyToColour)} grey -> colour, ${fmt(c.resized)} resized`);
  }
  return lines.join("\n");
}
