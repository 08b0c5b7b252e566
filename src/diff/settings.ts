/**
 * Non-layer differences: every leaf of the IR outside `model` compared by path. Spans and the
 * derived parts (model, totals) are left out: the model is diffed layer by layer and totals are
 * a consequence reported on their own.
 */
import type { SpecIR } from "../ir.js";
import { withoutSpans } from "./normalize.js";
import type { DiffValue, SettingChange } from "./types.js";

type Json = DiffValue;

export function diffSettings(a: SpecIR, b: SpecIR): SettingChange[] {
  const out: SettingChange[] = [];
  const pick = (s: SpecIR) =>
    withoutSpans({
      name: s.name,
      dataset: s.dataset,
      preprocess: s.preprocess,
      augment: s.augment,
      train: s.train,
      expect: s.expect,
    }) as unknown as Json;
  walk("", pick(a), pick(b), out);
  return out;
}

/** Lists compared as sets, one change per added or removed element: assertions have no order. */
const SET_PATHS = new Set(["expect"]);

function walk(path: string, a: Json | undefined, b: Json | undefined, out: SettingChange[]): void {
  if (equal(a, b)) return;
  if (SET_PATHS.has(path) && Array.isArray(a) && Array.isArray(b)) {
    const xs = a as readonly Json[];
    const ys = b as readonly Json[];
    for (const x of xs) if (!ys.some((y) => equal(x, y))) out.push({ path, old: x });
    for (const y of ys) if (!xs.some((x) => equal(x, y))) out.push({ path, new: y });
    return;
  }
  if (isObject(a) && isObject(b) && a["kind"] === b["kind"]) {
    // Same shape of object (and same variant, for tagged unions): compare field by field so a
    // change reads `train.optimizer.lr 1e-3 → 5e-4` rather than two whole optimizers.
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) walk(path ? `${path}.${k}` : k, a[k], b[k], out);
    return;
  }
  // Arrays (class lists, preprocessing steps, expect assertions) and changed variants compare
  // whole: their elements have no identity of their own.
  out.push({ path, ...(a === undefined ? {} : { old: a }), ...(b === undefined ? {} : { new: b }) });
}

const isObject = (v: Json | undefined): v is { readonly [k: string]: Json } =>
  v !== null && v !== undefined && typeof v === "object" && !Array.isArray(v);

export function equal(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  const ao = a as { readonly [k: string]: Json };
  const bo = b as { readonly [k: string]: Json };
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!equal(ao[k], bo[k])) return false;
  return true;
}
