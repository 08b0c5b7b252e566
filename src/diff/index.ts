/**
 * `diffSpecs(old, new)`: a semantic diff of two specs. Both are checked and their IRs compared,
 * so reformatting, comments, reordered settings or spelling a default out changes nothing, while
 * an edit reports its consequences: shapes that change downstream and parameter deltas.
 */

import type { SpecIR } from "../ir.js";
import { checkLenient, type LenientCheck } from "../check/lenient.js";
import { diffLayers } from "./layers.js";
import { diffSettings, equal } from "./settings.js";
import type { DiffResult, DiffValue } from "./types.js";

export interface DiffOptions {
  /** File names, used to pick the syntax (`.fer.yaml` → YAML) and in diagnostics. */
  readonly oldFile?: string;
  readonly newFile?: string;
  /** What to call each side in reports (default: the file name, or "old"/"new"). */
  readonly oldLabel?: string;
  readonly newLabel?: string;
}

export function diffSpecs(oldText: string, newText: string, opts: DiffOptions = {}): DiffResult {
  const a = checkLenient(oldText, opts.oldFile);
  const b = checkLenient(newText, opts.newFile);
  const side = (label: string, r: LenientCheck) => ({
    label,
    ...(r.spec ? { spec: r.spec.name } : {}),
    diagnostics: r.diagnostics,
    ...(r.failedExpect.length ? { failedExpect: r.failedExpect } : {}),
  });
  const old = side(opts.oldLabel ?? opts.oldFile ?? "old", a);
  const neu = side(opts.newLabel ?? opts.newFile ?? "new", b);
  if (!a.spec || !b.spec) return { ok: false, equivalent: false, old, new: neu, settings: [], layers: [] };
  const d = diffIR(a.spec, b.spec);
  if (a.failedExpect.length === 0 && b.failedExpect.length === 0) return { ...d, old, new: neu };
  // A side checked without its expect section has no assertions to compare; its failing
  // assertions are reported on the side instead.
  const settings = d.settings.filter((c) => c.path !== "expect");
  return { ...d, settings, equivalent: d.equivalent || (settings.length === 0 && d.layers.length === 0 && !d.output && sameTotals(a.spec, b.spec)), old, new: neu };
}

const sameTotals = (a: SpecIR, b: SpecIR): boolean => equal(a.totals as unknown as DiffValue, b.totals as unknown as DiffValue);

/** The diff of two checked IRs (labels left empty). */
export function diffIR(a: SpecIR, b: SpecIR): DiffResult {
  const settings = diffSettings(a, b);
  const layers = diffLayers(a.model.layers, b.model.layers);
  const totalsChanged = !equal(a.totals as unknown as DiffValue, b.totals as unknown as DiffValue);
  const outputChanged = !equal(a.model.output as DiffValue, b.model.output as DiffValue);
  return {
    ok: true,
    equivalent: settings.length === 0 && layers.length === 0 && !totalsChanged && !outputChanged,
    old: { label: "old", spec: a.name, diagnostics: [] },
    new: { label: "new", spec: b.name, diagnostics: [] },
    settings,
    layers,
    totals: { old: a.totals, new: b.totals },
    ...(outputChanged ? { output: { old: a.model.output, new: b.model.output } } : {}),
  };
}

/** `ferc diff` exit status: 0 equivalent, 1 different, 2 a side does not check. */
export function diffExitCode(d: DiffResult): 0 | 1 | 2 {
  return !d.ok ? 2 : d.equivalent ? 0 : 1;
}

export type { DiffResult, LayerChange, OptionChange, SettingChange, DiffValue, SideInfo } from "./types.js";
export { renderDiff, renderDiffText, renderDiffMarkdown, renderDiffJson, type DiffFormat, type RenderOptions } from "./render.js";
