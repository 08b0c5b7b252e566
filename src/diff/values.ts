/** Short human spellings of IR values for diff reports: `3x3`, `1e-3`, `[16, 32]`, `usage "Training"`. */
import { canonicalNumber } from "../syntax/numbers.js";
import type { DiffValue } from "./types.js";

/**
 * `sizes`: print arrays of positive integers as `3x3` (kernel sizes, strides, shapes); off for
 * settings, where `[1, 1]` is a zoom range rather than a size.
 */
export function showValue(v: DiffValue | undefined, sizes = false): string {
  if (v === undefined) return "(none)";
  if (v === null) return "null";
  if (typeof v === "number") return canonicalNumber(v);
  if (typeof v === "string") return /^[A-Za-z0-9_.\-]+$/.test(v) ? v : JSON.stringify(v);
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) {
    if (sizes && v.length > 0 && v.every((x) => typeof x === "number" && Number.isInteger(x) && x > 0)) return v.join("x");
    return `[${v.map((x) => showValue(x, sizes)).join(", ")}]`;
  }
  const o = v as { readonly [k: string]: DiffValue };
  const entries = Object.entries(o).filter(([k]) => k !== "kind");
  const kind = typeof o["kind"] === "string" ? `${o["kind"]}` : "";
  const body = entries.map(([k, x]) => `${k}=${showValue(x, sizes)}`).join(" ");
  return kind && body ? `${kind} ${body}` : kind || `{${body}}`;
}

export const showShape = (s: readonly number[] | undefined): string => (s && s.length ? s.join("x") : "?");

export const count = (n: number): string => n.toLocaleString("en-US");

export const signed = (n: number): string => (n > 0 ? `+${count(n)}` : n < 0 ? `-${count(-n)}` : "±0");

/** An expect assertion as written in a spec: `params total 141303`, `shape block1.conv1 = 46x46x16`. */
export function showSetting(path: string, v: DiffValue | undefined): string {
  if (path === "expect" && v !== null && typeof v === "object" && !Array.isArray(v)) {
    const e = v as { readonly [k: string]: DiffValue };
    if (e["kind"] === "params") return `params ${showValue(e["which"])} ${showValue(e["value"])}`;
    if (e["kind"] === "shape") return `shape ${showValue(e["layer"])} = ${showValue(e["shape"], true)}`;
    if (e["kind"] === "accuracy") return `accuracy ${showValue(e["split"])} >= ${showValue(e["min"])}`;
  }
  return showValue(v);
}
