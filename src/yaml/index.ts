/**
 * YAML on both sides of the checker:
 *   - the spec itself written as YAML (`*.fer.yaml`): toYaml / fromYaml / parseAny;
 *   - the checked IR as JSON or YAML (`ferc compile --emit ir|yaml`), described by
 *     grammar/ir.schema.json.
 */
import { hasErrors, type Diagnostic } from "../diagnostics.js";
import { attachComments } from "../format/comments.js";
import { blankLines, formatDocument } from "../format/index.js";
import type { Document } from "../syntax/ast.js";
import { parse } from "../syntax/parser.js";
import { emitYaml } from "./emit.js";
import { isYamlFile } from "./any.js";
import { fromYaml } from "./read.js";

export interface ConvertResult {
  /** The converted text; empty when the input has syntax errors. */
  readonly output: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** `.fer` text → the YAML form (canonical, comments kept). */
export function toYaml(ferText: string): ConvertResult {
  const { document, diagnostics } = parse(ferText);
  if (hasErrors(diagnostics)) return { output: "", diagnostics };
  return { output: documentToYaml(document, ferText), diagnostics };
}

/** A syntax tree whose spans point into `source` (either spelling) → the YAML form. */
export function documentToYaml(document: Document, source: string): string {
  const comments = attachComments(document, source);
  return emitYaml(document.statements, { comments, blankLineBefore: blankLines(document, comments) });
}

/** The YAML form → canonical `.fer` text (`ferc fmt --to fer x.fer.yaml`). */
export function yamlToFer(yamlText: string): ConvertResult {
  const { document, diagnostics } = fromYaml(yamlText);
  if (hasErrors(diagnostics)) return { output: "", diagnostics };
  return { output: formatDocument(document, yamlText), diagnostics };
}

/**
 * `ferc fmt [--to fer|yaml] FILE`: the canonical text of FILE in the target spelling (default:
 * its own). On syntax errors the output is the input unchanged, as with format().
 */
export function formatAny(text: string, file: string, to?: "fer" | "yaml"): ConvertResult & { readonly changed: boolean } {
  const fromYamlFile = isYamlFile(file);
  const target = to ?? (fromYamlFile ? "yaml" : "fer");
  const parsed = fromYamlFile ? fromYaml(text) : parse(text);
  if (hasErrors(parsed.diagnostics)) return { output: text, diagnostics: parsed.diagnostics, changed: false };
  const output = target === "yaml" ? documentToYaml(parsed.document, text) : formatDocument(parsed.document, text);
  return { output, diagnostics: parsed.diagnostics, changed: output !== text };
}

/** The file name for a converted spec: `x.fer` ↔ `x.fer.yaml`. */
export function convertedName(file: string, to: "fer" | "yaml"): string {
  const base = file.replace(/\.ya?ml$/i, "").replace(/\.fer$/i, "");
  return to === "yaml" ? `${base}.fer.yaml` : `${base}.fer`;
}

export { fromYaml } from "./read.js";
export { parseAny, isYamlFile } from "./any.js";
export { irToJson, irToYaml } from "./ir.js";
