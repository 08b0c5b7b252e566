/**
 * ferc as a library:
 *
 *   import { parse, check, format, diff, compile } from "ferc";
 *
 * parse/check/format/diff are synchronous and never load tfjs; compile imports tfjs on first use.
 * Every function takes spec text (and optionally a file name, which selects the `.fer.yaml`
 * syntax) and reports problems as diagnostics instead of throwing.
 */
import type { CheckResult } from "./check/index.js";
import type { Diagnostic } from "./diagnostics.js";
import type { SpecIR } from "./ir.js";
import type { DiffOptions, DiffResult } from "./diff/index.js";
import type { ParseResult } from "./syntax/parser.js";
import { diffSpecs } from "./diff/index.js";
import { parseAny, checkAny } from "./check/any.js";

/** Text → syntax tree (`.fer`, or YAML when `file` ends in `.yaml`/`.yml`). Never throws. */
export function parse(text: string, file?: string): ParseResult {
  return parseAny(text, file);
}

/** Parse and check: diagnostics, the resolved IR (when there are no errors), the layer table. */
export function check(text: string, file?: string): CheckResult {
  return checkAny(text, file);
}

/** The semantic diff of two specs (see DiffResult); render it with renderDiff. */
export function diff(oldText: string, newText: string, opts?: DiffOptions): DiffResult {
  return diffSpecs(oldText, newText, opts);
}

// ------------------------------------------------------------------ compile (loads tfjs lazily)

/*
 * compile: spec text → the deterministic tfjs model topology JSON (the same bytes as
 * `ferc compile --emit tfjs`). tfjs is imported on the first call and nowhere on the path of
 * `import { parse } from "ferc"`, so parsing, checking and formatting stay light.
 */
export type CompileResult =
  | {
      readonly ok: true;
      readonly spec: SpecIR;
      /** Canonical tfjs `model.toJSON()` topology: sorted keys, no version stamps. */
      readonly topology: string;
      readonly diagnostics: readonly Diagnostic[];
    }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export interface CompileOptions {
  /** File name: picks `.fer` or `.fer.yaml` syntax and labels diagnostics. */
  readonly file?: string;
}

export async function compile(text: string, opts: CompileOptions = {}): Promise<CompileResult> {
  const checked = checkAny(text, opts.file);
  if (!checked.ok || !checked.spec) return { ok: false, diagnostics: checked.diagnostics };
  const topology = await topologyOf(checked.spec);
  return { ok: true, spec: checked.spec, topology, diagnostics: checked.diagnostics };
}

/** The topology of an already checked spec. */
export async function topologyOf(spec: SpecIR): Promise<string> {
  const [tf, tfl, { modelTopology }] = await Promise.all([
    import("@tensorflow/tfjs-core"),
    import("@tensorflow/tfjs-layers"),
    import("./compile/index.js"),
  ]);
  // Building a model allocates its weights, which needs a backend; the CPU one is always there.
  // A backend the caller already set up (wasm, tfjs-node) is left alone.
  await import("@tensorflow/tfjs-backend-cpu");
  await tf.ready();
  return modelTopology(spec, tfl);
}

// ------------------------------------------------------------------ everything else

export { format, formatDocument, type FormatResult } from "./format/index.js";
export { showResolved, resolveSpec, type ResolvedResult } from "./show/show.js";
export { diffSpecs, diffIR, diffExitCode, renderDiff, type DiffFormat, type DiffOptions, type DiffResult, type LayerChange, type OptionChange, type SettingChange, type RenderOptions } from "./diff/index.js";
export { resolveDiffSides, readSide, RevisionError, type SpecSource } from "./git/revision.js";
export { toYaml, fromYaml, yamlToFer, formatAny, parseAny, irToJson, irToYaml, convertedName, isYamlFile, type ConvertResult } from "./yaml/index.js";
export { checkAny } from "./check/any.js";

export type { CheckResult, LayerRow } from "./check/index.js";
export type { ParseResult } from "./syntax/parser.js";
export type { Document, Statement, Arg, Value, Block, Comment } from "./syntax/ast.js";
export type { Diagnostic, Span, Severity, Phase } from "./diagnostics.js";
export { CODES, type CodeInfo, type CodeExample, type DiagnosticCode } from "./codes.js";
export { FercError, ERROR_KINDS, type ErrorKind } from "./errors.js";
export { renderDiagnostics, diagnosticJson, type DiagnosticFormat, type DiagnosticJson } from "./render/diagnostics.js";
export type * from "./ir.js";
