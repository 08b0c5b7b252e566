/**
 * An ensemble record's report: `report.json` (the ensemble's validation and test results in full,
 * as a run's report.json has its test) and `report.md`, which `ferc report` prints: the members
 * (each alone and their total cost), the ensemble's figures, the protocol, per-class metrics and
 * the confusion matrix. No tfjs: a report is only reading.
 */
import type { EvalResult } from "../train/events.js";
import { confusionMarkdown, perClassMarkdown } from "../report/markdown.js";
import type { EnsembleManifest, EnsembleMember, SplitSummary } from "./record.js";

export interface EnsembleReport {
  readonly kind: "ensemble";
  readonly name: string;
  readonly runId: string;
  readonly data: { readonly val: number; readonly test: number; readonly testSplit: "kept whole" };
  readonly val: EvalResult | null;
  readonly test: EvalResult | null;
}

const pct = (v: number): string => `${(v * 100).toFixed(2)}%`;
export const formatMacsShort = (n: number | null | undefined): string => (n === null || n === undefined ? "–" : n >= 1e9 ? `${(n / 1e9).toFixed(2)} G` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : String(n));
const count = (n: number): string => n.toLocaleString("en-US");

export function durationText(ms: number): string {
  const min = Math.round(ms / 60000);
  return `${Math.floor(min / 60)}h${String(min % 60).padStart(2, "0")}m`;
}

/** `44x44 centre + mirror`: a member's views in words. */
export function viewsText(v: EnsembleMember["views"]): string {
  const where = v.window ? `${v.window[0]}x${v.window[1]} ${v.tta === "ten-crop" ? "corners + centre" : "centre"}` : "whole image";
  return v.tta === "none" ? where : `${where}, mirrored (${v.count} views)`;
}

const score = (s: SplitSummary | undefined): string => (s ? pct(s.acc) : "–");

/** The members table: one row each, then the totals. */
export function membersMarkdown(m: EnsembleManifest, link?: (member: EnsembleMember) => string): string {
  const valName = m.val?.split ?? m.members.find((x) => x.val)?.val?.split ?? "val";
  const testName = m.test?.split ?? m.members.find((x) => x.test)?.test?.split ?? "test";
  const rows = m.members.map((x, i) => {
    const name = link ? `[${x.runId}](${link(x)})` : x.runId;
    return `| ${i + 1} | ${name} | ${x.spec} | ${x.status === "completed" ? "" : `${x.status}, `}${x.checkpoint} (epoch ${x.bestEpoch ?? "?"}) | ${count(x.params)} | ${formatMacsShort(x.macs)} | ${viewsText(x.views)} | ${durationText(x.trainingMs)} | ${score(x.val)} | ${score(x.test)} | \`${x.hash.slice(7, 19)}\` |`;
  });
  return [
    `| # | member | spec | checkpoint | params | mult-adds | views | training | ${valName} acc | ${testName} acc | hash |`,
    "|---:|---|---|---|---:|---:|---|---:|---:|---:|---|",
    ...rows,
    `| | **ensemble** (mean of ${m.members.length}) | | | **${count(m.totals.params)}** | **${formatMacsShort(m.totals.macs)}** | ${formatMacsShort(m.totals.macsWithViews)} per image with views | ${durationText(m.totals.trainingMs)} | **${score(m.val)}** | **${score(m.test)}** | |`,
  ].join("\n");
}

export function protocolText(m: EnsembleManifest): string {
  const p = m.protocol;
  const c = (x: { split: string; note?: string }): string => (x.split === "none" ? x.note ?? "fixed" : `on ${x.split}${x.note ? `: ${x.note}` : ""}`);
  return `members ${c(p.members)}; member checkpoints ${c(p.memberCheckpoints)}; member tta ${c(p.memberTta)}; averaging ${c(p.averaging)}; test ${p.test}`;
}

/** The candidates a selection chose among (each alone on val) and the order it added members. */
export function selectionMarkdown(m: EnsembleManifest): string {
  const s = m.selection;
  if (!s) return "";
  const valName = s.candidates[0]?.val.split ?? "val";
  const order = new Map(s.steps.map((st, i) => [st.added, i + 1] as const));
  const rows = s.candidates.map((c) => `| ${c.runId} | ${pct(c.val.acc)} | ${c.val.loss.toFixed(4)} | ${order.has(c.runId) ? `step ${order.get(c.runId)}` : "not chosen"} |`);
  const steps = s.steps.map((st, i) => `${i + 1}. ${i === 0 ? "start from" : "add"} ${st.added}: the mean scores ${pct(st.val.acc)} (loss ${st.val.loss.toFixed(4)})`);
  return [
    `Members chosen by ${s.method} forward selection on ${valName} (${s.monitor}) among ${s.candidates.length} candidate records; the test split played no part.`,
    "",
    `| candidate | ${valName} acc alone | ${valName} loss alone | chosen |`,
    "|---|---:|---:|---|",
    ...rows,
    "",
    ...steps,
    `${s.steps.length + 1}. stop: ${s.steps.length === s.candidates.length ? "no candidate left" : `no remaining candidate ${s.monitor === "val.loss" ? "lowers the loss" : "raises the accuracy"}`}`,
  ].join("\n");
}

export function ensembleMarkdown(m: EnsembleManifest, r: EnsembleReport, o: { readonly assets?: string; readonly link?: (member: EnsembleMember) => string } = {}): string {
  const img = (file: string): string => (o.assets ? `${o.assets.replace(/\/$/, "")}/${file}` : file);
  const out: string[] = [`# ${m.name} — ensemble ${m.runId}`, ""];
  out.push(
    `- ${m.members.length} members, probabilities averaged (each member on its own preprocessing and test-time views)`,
    `- built from: ${m.file ?? "member records named on the command line"}${m.sweep ? `; members trained by ${m.sweep.relative}` : ""}`,
    `- backend: ${m.backend}`,
    `- data: val n=${r.data.val}, test n=${r.data.test} (test split ${r.data.testSplit})`,
    `- protocol: ${protocolText(m)}`,
    "",
    "## Members",
    "",
    membersMarkdown(m, o.link),
    "",
  );
  if (m.selection) out.push("## Selection", "", selectionMarkdown(m), "");
  if (r.val) out.push(`## Validation (${m.val?.split ?? r.val.split}, n=${r.val.n})`, "", `- loss: ${r.val.loss.toFixed(4)}`, `- accuracy: **${pct(r.val.acc)}**`, `- macro F1: ${r.val.macroF1.toFixed(3)}`, "");
  if (r.test) {
    const t = r.test;
    out.push(`## Test (${m.test?.split ?? t.split}, n=${t.n})`, "", `- loss: ${t.loss.toFixed(4)}`, `- accuracy: **${pct(t.acc)}**`, `- macro F1: ${t.macroF1.toFixed(3)}`, "");
    out.push("### Per class", "", perClassMarkdown(t), "", "### Confusion matrix", "", confusionMarkdown(t), "", `![confusion](${img("confusion.svg")})`, "");
  } else out.push("No test evaluation (the data has no test split).", "");
  return out.join("\n");
}
