/** `report.json` / `report.md`: the run's outcome and test metrics, for people and for tools. */
import type { EpochMetrics, EvalResult } from "../train/events.js";
import { formatVerdict, type AccuracyVerdict } from "../check/expect.js";
import type { Choice, Protocol } from "../train/protocol.js";
import { overrideText } from "../run/asRun.js";
import type { RunDistill, RunInit, RunOverride } from "../run/manifest.js";

export interface RunReport {
  readonly spec: string;
  readonly runId: string;
  readonly status: string;
  readonly reason: string;
  readonly backend: string;
  readonly epochsDone: number;
  readonly bestEpoch: number;
  readonly history: readonly EpochMetrics[];
  /** Images per split after cleaning, and whether the test split was kept whole. */
  readonly data?: { readonly train: number; readonly val: number; readonly test: number; readonly testSplit: "kept whole" | "cleaned" };
  /** Which split drove each choice of the run. */
  readonly protocol?: Protocol;
  /** Distillation: the teacher and the loss's settings (as run.yaml has them). */
  readonly distill?: RunDistill;
  readonly init?: RunInit;
  /** How the run differs from its spec file (command-line overrides; spec.ir.json has them folded in). */
  readonly overrides?: readonly RunOverride[];
  /** Null when the run stopped before testing. */
  readonly test: EvalResult | null;
  readonly message?: string;
  /** The spec's accuracy expectations, judged after testing (absent when it has none). */
  readonly expectations?: readonly AccuracyVerdict[];
}

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const num = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : String(v));

/** Markdown table cell text: pipes would break the table. */
const cell = (s: string) => s.replace(/\|/g, "\\|");

export function confusionMarkdown(r: EvalResult): string {
  const head = `| true \\ predicted | ${r.classes.map(cell).join(" | ")} |`;
  const sep = `|---|${r.classes.map(() => "---:").join("|")}|`;
  const rows = r.confusion.map((row, i) => `| **${cell(r.classes[i]!)}** | ${row.join(" | ")} |`);
  return [head, sep, ...rows].join("\n");
}

export function perClassMarkdown(r: EvalResult): string {
  const rows = r.perClass.map((c) => `| ${cell(c.name)} | ${c.precision.toFixed(3)} | ${c.recall.toFixed(3)} | ${c.f1.toFixed(3)} | ${c.support} |`);
  return ["| class | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|", ...rows, `| **macro avg** | | | ${r.macroF1.toFixed(3)} | ${r.n} |`].join("\n");
}

const choice = (c: Choice): string => (c.split === "none" ? `none (${c.note ?? "fixed"})` : `${c.split} (${c.monitor ?? "?"})`);

/** One line: which split drove each choice, and the test split's role. */
export function protocolLine(p: Protocol): string {
  return `early stop ${choice(p.earlyStop)}; schedule ${choice(p.schedule)}; best checkpoint ${choice(p.bestCheckpoint)}; restore-best ${choice(p.restoreBest)}; tta ${choice(p.tta)}; test ${p.test}`;
}

export interface MarkdownOptions {
  /**
   * Where the run's plots are, as a link from where the report is written (posix, relative;
   * "" when the report is in the run directory, as report.md is).
   */
  readonly assets?: string;
}

export function reportMarkdown(rep: RunReport, o: MarkdownOptions = {}): string {
  const img = (file: string): string => (o.assets ? `${o.assets.replace(/\/$/, "")}/${file}` : file);
  const out: string[] = [`# ${rep.spec} — run ${rep.runId}`, ""];
  out.push(`- status: **${rep.status}** (${rep.reason})`, `- backend: ${rep.backend}`, `- epochs: ${rep.epochsDone}, best epoch: ${rep.bestEpoch || "none"}`);
  if (rep.overrides?.length) out.push(`- overrides: ${rep.overrides.map(overrideText).join(", ")}`);
  if (rep.data) out.push(`- data: train n=${rep.data.train}, val n=${rep.data.val}, test n=${rep.data.test} (test split ${rep.data.testSplit})`);
  if (rep.message) out.push(`- note: ${rep.message}`);
  if (rep.protocol) out.push(`- protocol: ${protocolLine(rep.protocol)}`);
  if (rep.init) out.push(`- fine-tuned from: ${rep.init.record.relative}${rep.init.checkpoint ? ` (its ${rep.init.checkpoint} checkpoint${rep.init.epoch !== undefined ? `, epoch ${rep.init.epoch}` : ""}${rep.init.hash ? `, hash ${rep.init.hash.slice(7, 19)}` : ""})` : ""}`);
  if (rep.distill) out.push(`- distilled from: ${rep.distill.teacher.relative} (${rep.distill.kind ?? "record"}${rep.distill.members ? ` of ${rep.distill.members}` : ""}${rep.distill.teacherHash ? `, hash ${rep.distill.teacherHash.slice(7, 19)}` : ""}), temperature ${rep.distill.temperature}, weight ${rep.distill.weight}; ${rep.distill.perView ? "the teacher's targets for each training view as the student saw it (train split only)" : "the teacher's targets on the train split only"}`);
  out.push("");
  if (rep.expectations?.length) {
    const failed = rep.expectations.filter((v) => v.verdict === "fail").length;
    out.push(`## Expectations: ${failed ? `**${failed} failed**` : "all checked ones hold"}`, "", ...rep.expectations.map((v) => `- ${formatVerdict(v)}`), "");
  }
  if (rep.test) {
    const t = rep.test;
    out.push(`## Test (${t.split}, n=${t.n})`, "", `- loss: ${num(t.loss)}`, `- accuracy: **${pct(t.acc)}**`, `- macro F1: ${t.macroF1.toFixed(3)}`, "");
    out.push("### Per class", "", perClassMarkdown(t), "", "### Confusion matrix", "", confusionMarkdown(t), "", `![confusion](${img("confusion.svg")})`, "");
  } else {
    out.push("No test evaluation (the run stopped before testing).", "");
  }
  out.push("## Training", "", "| epoch | loss | acc | val loss | val acc | lr | time |", "|---:|---:|---:|---:|---:|---:|---:|");
  for (const m of rep.history) {
    out.push(
      `| ${m.epoch}${m.epoch === rep.bestEpoch ? " *" : ""} | ${num(m.loss)} | ${pct(m.acc)} | ${m.valLoss === undefined ? "—" : num(m.valLoss)} | ${m.valAcc === undefined ? "—" : pct(m.valAcc)} | ${m.lr.toExponential(2)} | ${(m.timeMs / 1000).toFixed(1)}s |`,
    );
  }
  out.push("", `![loss](${img("loss.svg")}) ![accuracy](${img("accuracy.svg")})`, "", `![classes](${img("classes.svg")})`, "");
  return out.join("\n");
}
