/**
 * A deterministic JSON rendering of the compiled graph (same spec → same bytes): keys sorted,
 * version/backend stamps removed. Used for snapshots and `ferc compile` output.
 */
import type { SpecIR } from "../ir.js";
import type { Tfl } from "../layers/kind.js";
import { compileModel } from "./tfjs.js";

/** Fields whose value depends on the tfjs build, not on the spec. */
const VOLATILE = new Set(["keras_version", "backend"]);

export function modelTopology(spec: SpecIR, tfl: Tfl): string {
  const model = compileModel(spec, tfl);
  try {
    const json = model.toJSON(null, false) as unknown;
    return `${JSON.stringify(canonical(json), null, 2)}\n`;
  } finally {
    model.dispose();
  }
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) if (!VOLATILE.has(k)) out[k] = canonical((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}
