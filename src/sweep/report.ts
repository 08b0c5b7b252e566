/**
 * The sweep's results: trials ranked by the spec's validation monitor (never a test metric:
 * choosing by test accuracy would make the reported test accuracy of the winner optimistic),
 * as `sweep.json` (also the `--json` line) and `sweep.md`.
 */
import * as path from "node:path";
import type { SpecIR } from "../ir.js";
import { inferMode } from "../train/monitor.js";
import type { TrialOutcome } from "./record.js";
import type { SweepState, TrialStatus } from "./state.js";

/** The early-stop monitor when it is a validation metric, else the plateau schedule's, else val.acc. */
export function rankingMonitor(spec: SpecIR): string {
  const es = spec.train.earlyStop?.monitor;
  if (es?.startsWith("val.")) return es;
  const s = spec.train.schedule;
  if (s.kind === "plateau" && s.monitor.startsWith("val.")) return s.monitor;
  return "val.acc";
}

export interface TrialSummary {
  /** 1 = best; null for trials without a result (failed, interrupted, pending). */
  readonly rank: number | null;
  readonly id: string;
  readonly status: TrialStatus;
  /** The run record, as a path from where ferc was started. */
  readonly runDir: string | null;
  readonly assignment: Readonly<Record<string, string>>;
  readonly changes: readonly string[];
  readonly params: number;
  readonly epochs: number | null;
  readonly wallMs: number;
  /** The ranking metric at the trial's best epoch. */
  readonly val: number | null;
  readonly valAcc: number | null;
  readonly valLoss: number | null;
  /** Shown for completeness; never used to rank. */
  readonly testAcc: number | null;
  readonly message?: string;
}

export interface SweepSummary {
  readonly sweep: string;
  readonly dir: string;
  readonly spec: string;
  readonly rankedBy: string;
  readonly executor: "local" | "slurm";
  readonly trials: readonly TrialSummary[];
}

export function summarize(dir: string, s: SweepState, outcomes: ReadonlyMap<string, TrialOutcome>): SweepSummary {
  const mode = inferMode(s.rankedBy);
  const rows = s.trials.map((t) => {
    const o = outcomes.get(t.id);
    return {
      id: t.id,
      status: t.status,
      runDir: t.runDir ? path.join(dir, t.runDir) : null,
      assignment: t.assignment,
      changes: t.changes,
      params: t.params,
      epochs: o?.epochs ?? null,
      wallMs: Math.round(t.wallMs),
      val: o?.val ?? null,
      valAcc: o?.valAcc ?? null,
      valLoss: o?.valLoss ?? null,
      testAcc: o?.testAcc ?? null,
      ...(t.message ? { message: t.message } : {}),
    };
  });
  const rankable = rows.filter((r) => r.status === "completed" && r.val !== null);
  rankable.sort((a, b) => (mode === "max" ? b.val! - a.val! : a.val! - b.val!) || a.id.localeCompare(b.id, "en", { numeric: true }));
  const rest = rows.filter((r) => !rankable.includes(r));
  const trials = [...rankable.map((r, i) => ({ rank: i + 1, ...r })), ...rest.map((r) => ({ rank: null, ...r }))];
  return { sweep: s.id, dir, spec: s.spec, rankedBy: s.rankedBy, executor: s.executor, trials };
}

const fixed = (x: number | null, digits = 4): string => (x === null ? "–" : x.toFixed(digits));

export function wallText(ms: number): string {
  const s = ms / 1000;
  if (s < 90) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 90) return `${m}m${String(Math.round(s - m * 60)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

const cell = (s: string): string => s.replace(/\|/g, "\\|");

export function sweepMarkdown(sum: SweepSummary, s: SweepState): string {
  const sampling = s.sampling.mode === "grid" ? "the full grid" : `${s.sampling.samples} of ${s.sampling.gridSize} grid points, seed ${s.sampling.seed}`;
  const vary = s.vary.map((v) => `\`${v.path}\` ∈ {${v.values.join(", ")}}`).join(", ");
  const runOpts = Object.entries(s.run).map(([k, v]) => (v === true ? `--${k}` : `--${k} ${v}`)).join(" ");
  const done = sum.trials.filter((t) => t.status === "completed").length;
  // The ranking metric first; the other validation metric beside it.
  const other = sum.rankedBy === "val.loss" ? "val.acc" : "val.loss";
  const otherOf = (t: TrialSummary) => (other === "val.acc" ? t.valAcc : t.valLoss);
  const lines = [
    `# Sweep ${sum.sweep}`,
    "",
    `Spec \`${s.specFile}\` (${s.spec}), ${sum.trials.length} trials (${sampling}) over ${vary}; ${s.executor} executor${runOpts ? `, trials run with \`${runOpts}\`` : ""}.`,
    `${done} of ${sum.trials.length} completed. Ranked by **${sum.rankedBy}** at each trial's best epoch (validation split; the test split is never used to rank).`,
    "",
    `| rank | trial | changes from the base spec | params | epochs | wall | **${sum.rankedBy}** | ${other} | test.acc | status |`,
    "|---:|---|---|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const t of sum.trials) {
    const changes = t.changes.length ? t.changes.map((c) => `\`${cell(c)}\``).join("<br>") : "(the base spec)";
    lines.push(
      `| ${t.rank ?? "–"} | ${t.id} | ${changes} | ${t.params.toLocaleString("en-US")} | ${t.epochs ?? "–"} | ${wallText(t.wallMs)} | ${fixed(t.val)} | ${fixed(otherOf(t))} | ${fixed(t.testAcc)} | ${t.status}${t.message ? ` (${cell(t.message)})` : ""} |`,
    );
  }
  lines.push("", "Run records:", "");
  for (const t of sum.trials) lines.push(`- ${t.id}: ${t.runDir ? `\`${t.runDir}\`` : "(none yet)"}`);
  return `${lines.join("\n")}\n`;
}

/** One line per trial for the terminal after a sweep. */
export function sweepTable(sum: SweepSummary): string {
  const rows = sum.trials.map((t) => [String(t.rank ?? "–"), t.id, t.changes.join("; ") || "(base)", fixed(t.val), t.status, wallText(t.wallMs)]);
  const head = ["rank", "trial", "changes", sum.rankedBy, "status", "wall"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [fmt(head), ...rows.map(fmt)].join("\n");
}
