/**
 * When a piece of `.fer` text can stand in YAML as a plain (unquoted) scalar. The YAML form
 * relies on the difference: plain scalars are `.fer` text, quoted scalars are strings. So text
 * that YAML would read differently (a leading indicator, `: `, ` #`) must take another form.
 */

/** Characters that may not start a plain scalar (a `-` may, when a non-space follows). */
const INDICATORS = new Set([..."?:,[]{}#&*!|>'\"%@`"]);

export function isPlainSafe(s: string, asKey = false): boolean {
  if (s.length === 0 || s !== s.trim() || /[\n\r\t]/.test(s)) return false;
  const first = s[0]!;
  if (INDICATORS.has(first)) return false;
  if (first === "-" && (s.length === 1 || s[1] === " ")) return false;
  if (s.includes(": ") || s.endsWith(":") || s.includes(" #")) return false;
  if (asKey && (s.length > 1000 || s.startsWith("<<"))) return false;
  // `---` / `...` would end or start a document.
  if (s.startsWith("---") || s.startsWith("...")) return false;
  return true;
}
