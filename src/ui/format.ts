/** Text formatting shared by the dashboard and plain-line output. */

export function pct(v: number | undefined, digits = 1): string {
  return v === undefined || !Number.isFinite(v) ? "—" : `${(v * 100).toFixed(digits)}%`;
}

export function fixed(v: number | undefined, digits = 4): string {
  if (v === undefined) return "—";
  return Number.isFinite(v) ? v.toFixed(digits) : String(v);
}

export function lrText(v: number | undefined | null): string {
  return v === undefined || v === null ? "—" : v.toExponential(2);
}

/** 75s → "1m15s", 3700s → "1h01m". */
export function duration(sec: number): string {
  if (!Number.isFinite(sec) || sec < 0) return "—";
  const s = Math.round(sec);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

export function bar(fraction: number, width: number): string {
  const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(f * width);
  return "█".repeat(full) + "░".repeat(width - full);
}

const SPARK = "▁▂▃▄▅▆▇█";

/** One character per value, scaled between the series' min and max. */
export function sparkline(values: readonly number[]): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return "";
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  return values
    .map((v) => {
      if (!Number.isFinite(v)) return " ";
      const t = hi === lo ? 0.5 : (v - lo) / (hi - lo);
      return SPARK[Math.min(SPARK.length - 1, Math.round(t * (SPARK.length - 1)))]!;
    })
    .join("");
}

export function padEnd(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

export function padStart(s: string, n: number): string {
  return s.length >= n ? s : " ".repeat(n - s.length) + s;
}

/** Fixed-width text table; first column left-aligned, the rest right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? padEnd(c, widths[i]!) : padStart(c, widths[i]!))).join("  ");
  return [line(header), ...rows.map(line)];
}

/** "1 epoch", "2 epochs". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * A backend choice's reason without brackets inside brackets, for showing it in parentheses:
 * "first that loads (tfjs-node-gpu, tfjs-node unavailable)" → "first that loads; tfjs-node-gpu, tfjs-node unavailable".
 */
export function flatReason(reason: string): string {
  let out = reason;
  for (let prev = ""; prev !== out; ) {
    prev = out;
    out = out.replace(/\s*\(([^()]*)\)/g, "; $1");
  }
  return out.replace(/^; /, "");
}

/**
 * The backend with what computes on it: "wasm, native AVX-512, 2 threads"; a GPU backend names its
 * adapter in brackets, "webgpu (nvidia hopper, Vulkan)", so the adapter reads as part of the name.
 */
export function backendLabel(backend: string, kernels: string | undefined): string {
  if (!kernels) return backend;
  return backend === "webgpu" ? `${backend} (${kernels})` : `${backend}, ${kernels}`;
}
