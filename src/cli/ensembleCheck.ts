/**
 * `ferc check` of an ensemble file: its diagnostics, then its members (a spec once per seed) with
 * each one's parameters, multiply-adds and views, the totals, and, where `ferc run` has measured
 * this machine, how long the members still to train would take. No tfjs.
 */
import type { CheckedEnsemble, ResolvedMember } from "../ensemble/file.js";
import { viewsText } from "../ensemble/report.js";
import { calibrationPath, estimateEpoch, readCalibration } from "../run/calibration.js";
import { defaultCacheDir } from "../data/cache.js";
import { PLAIN, type Style } from "../render/style.js";
import { diagnosticJson } from "../render/diagnostics.js";
import { formatCount, formatMacs } from "./table.js";

const macsText = (n: number | null): string => (n === null ? "?" : formatMacs(n));

function memberName(m: ResolvedMember): string {
  return `${m.kind} ${m.written}`;
}

function status(m: ResolvedMember): string {
  if (m.kind === "spec") return "to train";
  const man = m.manifest!;
  return man.status === "completed" ? "trained" : `${man.status} (epoch ${man.epochsDone}/${man.epochsPlanned})`;
}

export function ensembleTable(c: CheckedEnsemble, style: Style = PLAIN): string {
  const head = ["#", "member", "spec", "seed", "params", "mult-adds", "views", ""];
  const body = c.members.map((m, i) => [String(i + 1), memberName(m), m.spec.name, String(m.seed ?? m.spec.train.seed), formatCount(m.params), macsText(m.macs), viewsText(m.views), status(m)]);
  const right = new Set([0, 3, 4, 5]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((x, i) => (right.has(i) ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join("  ").trimEnd();
  const rule = "─".repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  const t = c.totals;
  return [
    style.bold(line(head)),
    rule,
    ...body.map(line),
    rule,
    style.bold(`Total params:   ${formatCount(t.params)} (${c.members.length} member${c.members.length === 1 ? "" : "s"})`),
    `Multiply-adds:  ${t.macs === null ? "unknown (a member's layer did not check)" : `${formatCount(t.macs)} per image and view (${formatMacs(t.macs)}); ${formatCount(t.macsWithViews!)} per prediction with each member's views (${formatMacs(t.macsWithViews!)})`}`,
  ].join("\n");
}

/** "estimate: ..." for the spec members still to train, from this machine's calibration; null without one. */
export function trainingEstimate(c: CheckedEnsemble, backend: string | undefined): string | null {
  const todo = c.members.filter((m) => m.kind === "spec");
  if (todo.length === 0) return null;
  const cal = readCalibration(calibrationPath(defaultCacheDir()));
  if (cal === null) return null;
  let seconds = 0;
  let used: string | undefined;
  for (const m of todo) {
    if (m.macs === null) return null;
    const e = estimateEpoch(cal, m.macs, backend);
    if (!e) return null;
    used = e.backend;
    seconds += e.seconds * m.spec.train.epochs;
  }
  const h = seconds / 3600;
  return `estimate: training the ${todo.length} spec member${todo.length === 1 ? "" : "s"} one after another: ~${h >= 1 ? `${h.toFixed(1)} h` : `${Math.round(seconds / 60)} min`} on ${used} (their epochs at the multiply-add rate ferc run measured here)`;
}

export function ensembleJson(c: CheckedEnsemble): Record<string, unknown> {
  return {
    file: c.file,
    ok: c.ok,
    kind: "ensemble",
    ...(c.ir ? { name: c.ir.name } : {}),
    diagnostics: c.diagnostics.map((d) => diagnosticJson(d)),
    members: c.members.map((m) => ({
      kind: m.kind,
      path: m.written,
      resolved: m.path,
      spec: m.spec.name,
      seed: m.seed ?? m.spec.train.seed,
      ...(m.manifest ? { runId: m.manifest.runId, status: m.manifest.status } : {}),
      params: m.params,
      macs: m.macs,
      views: m.views,
    })),
    totals: c.totals,
  };
}
