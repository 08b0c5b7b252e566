/**
 * Canonical number text. The value printed is always the same JS number as the one written (so
 * the checked IR cannot change); only its spelling is normalised: no trailing zeros, no leading
 * `+`, exponent form for small magnitudes (`1e-3`, the way learning rates are usually written).
 */

/** Below this magnitude numbers print in exponent form: 0.005 → `5e-3`, 0.01 stays `0.01`. */
const SMALL = 0.01;

export function formatNumber(value: number, unit?: string): string {
  return `${canonicalNumber(value)}${unit ?? ""}`;
}

export function canonicalNumber(value: number): string {
  if (!Number.isFinite(value)) return "0";
  if (value === 0) return "0"; // also turns -0 into 0
  const abs = Math.abs(value);
  if (abs < SMALL) return value.toExponential().replace("e+", "e");
  // Integers print in full rather than as `1e+21`-style text, which the lexer would mis-read.
  if (Number.isInteger(value) && abs >= 1e21) return BigInt(value).toString();
  return String(value);
}
