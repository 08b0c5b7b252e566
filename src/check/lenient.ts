/**
 * Checking for review tools (diff, show --resolved). A spec whose only errors are failing
 * `expect` assertions is still resolved: a model edit that makes the written parameter counts
 * stale is exactly what a reviewer wants to see, with the stale assertions listed beside it.
 */
import { hasErrors, type Diagnostic } from "../diagnostics.js";
import type { SpecIR } from "../ir.js";
import { checkAny, parseAny } from "./any.js";
import { checkDocument } from "./index.js";

export interface LenientCheck {
  /** The IR; for a spec with failing assertions, the one checked without its expect section. */
  readonly spec?: SpecIR;
  readonly diagnostics: readonly Diagnostic[];
  /** The failing assertions (errors of phase expect), when they were the only errors. */
  readonly failedExpect: readonly Diagnostic[];
}

export function checkLenient(text: string, file: string | undefined): LenientCheck {
  const r = checkAny(text, file);
  if (r.spec && !hasErrors(r.diagnostics)) return { spec: r.spec, diagnostics: r.diagnostics, failedExpect: [] };
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (errors.length === 0 || !errors.every((d) => d.phase === "expect")) return { diagnostics: r.diagnostics, failedExpect: [] };
  const parsed = parseAny(text, file);
  const withoutExpect = { ...parsed.document, statements: parsed.document.statements.filter((st) => st.head.name !== "expect") };
  const again = checkDocument(withoutExpect, file);
  if (!again.spec || hasErrors(again.diagnostics)) return { diagnostics: r.diagnostics, failedExpect: [] };
  return { spec: again.spec, diagnostics: r.diagnostics, failedExpect: errors };
}
