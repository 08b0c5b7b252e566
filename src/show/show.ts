/**
 * `ferc show --resolved FILE`: check, then print the resolved spec (see resolved.ts).
 * showResolved always returns text, because as a git textconv it must:
 *   - a spec whose only errors are failing `expect` assertions is resolved anyway (without its
 *     expect section), the failures listed as comments on top, so `git diff` shows the model
 *     change that made them stale;
 *   - any other spec with errors is shown as written, headed by its errors as comments.
 */
import type { Diagnostic } from "../diagnostics.js";
import { checkLenient } from "../check/lenient.js";
import { renderComment } from "../render/diagnostics.js";
import { resolvedText } from "./resolved.js";

export interface ResolvedResult {
  /** The resolved `.fer` text; undefined when the spec does not check. */
  readonly output?: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** The resolved text, or undefined output plus diagnostics (for `ferc show` exit codes). */
export function resolveSpec(text: string, file?: string): ResolvedResult {
  const r = checkLenient(text, file);
  if (!r.spec) return { diagnostics: r.diagnostics };
  const stale = r.failedExpect.map((d) => `# expect fails (${d.span.line}:${d.span.column}): ${d.message}\n`).join("");
  return { output: `${stale}${resolvedText(r.spec)}`, diagnostics: r.diagnostics };
}

export function showResolved(text: string, file?: string): string {
  const r = resolveSpec(text, file);
  if (r.output !== undefined) return r.output;
  const errors = r.diagnostics
    .filter((d) => d.severity === "error")
    .map(renderComment);
  return `# ferc: this spec does not check; shown as written\n${errors.join("\n")}\n${text.endsWith("\n") || text === "" ? text : `${text}\n`}`;
}
