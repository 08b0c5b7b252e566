/**
 * A trial's semantic difference from the base spec, in the lines `ferc diff` prints: edited
 * settings and layers (`train.batch 64 → 32`, `conv1 (conv) filters 16 → 32, ...: +416 params`).
 * Layers only affected by an edit upstream are left out here: the parameter delta says it.
 */
import { diffIR } from "../diff/index.js";
import { layerLine, settingLine } from "../diff/render.js";
import type { SpecIR } from "../ir.js";

export function trialChanges(base: SpecIR, trial: SpecIR): string[] {
  const d = diffIR(base, trial);
  const out = [...d.settings.filter((c) => c.path !== "expect").map(settingLine), ...d.layers.filter((l) => l.status !== "affected").map(layerLine)];
  if (base.totals.total !== trial.totals.total) {
    const delta = trial.totals.total - base.totals.total;
    out.push(`params ${base.totals.total.toLocaleString("en-US")} → ${trial.totals.total.toLocaleString("en-US")} (${delta > 0 ? "+" : ""}${delta.toLocaleString("en-US")})`);
  }
  return out;
}
