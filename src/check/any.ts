/**
 * One entry point for both spellings of a spec: `.fer` text or `*.fer.yaml`, chosen by the file
 * name. Everything downstream (check, run, fmt, diff) works on the syntax tree and never needs
 * to know which one it came from.
 */
import { hasErrors, sortDiagnostics } from "../diagnostics.js";
import { checkDocument, checkSource, refusedResult, type CheckResult } from "./index.js";
import { isRefused } from "../syntax/limits.js";
// The YAML reader only builds a syntax tree, as the .fer parser does: it sits below check/.
import { isYamlFile } from "../yaml/any.js";
import { fromYaml } from "../yaml/read.js";

export { isYamlFile, parseAny } from "../yaml/any.js";

/** checkSource for either spelling: YAML is read into the syntax tree, then checked as usual. */
export function checkAny(text: string, file?: string): CheckResult {
  if (!isYamlFile(file)) return checkSource(text, file);
  const parsed = fromYaml(text);
  if (isRefused(parsed.diagnostics)) return refusedResult(parsed.diagnostics, file ?? "<input>");
  const checked = checkDocument(parsed.document, file);
  const diagnostics = sortDiagnostics([...parsed.diagnostics, ...checked.diagnostics]);
  const ok = !hasErrors(diagnostics);
  // As checkSource does: a spec only when the whole file (YAML included) has no errors.
  const { spec, ...rest } = checked;
  return ok && spec ? { ...rest, ok, diagnostics, spec } : { ...rest, ok, diagnostics };
}
