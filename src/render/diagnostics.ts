/**
 * The one renderer of diagnostics, for every command (check, compile, fmt, diff, show, run,
 * sweep): a code frame with a caret for people, GitHub workflow annotations for CI, plain
 * objects for `--format json`, and the one-line forms that fit inside other reports (a diff's
 * error list, the comments heading `ferc show --resolved`). Pure functions of the diagnostic:
 * no I/O, no tfjs, so library code (diff/, format/) may use them too.
 */
import type { Diagnostic, Phase } from "../diagnostics.js";
import { escapeControls } from "./escape.js";
import { PLAIN, type Style } from "./style.js";

export type DiagnosticFormat = "text" | "json" | "github";

export interface RenderOptions {
  /** Shown when a diagnostic names no file of its own (a diff side's label, say). */
  readonly file?: string;
  /** The text the spans point into; text without it shows no code frame (a file not read). */
  readonly source?: string;
  readonly style?: Style;
}

const fileOf = (d: Diagnostic, opts: RenderOptions): string => d.file ?? opts.file ?? "<input>";

/** Diagnostics shown in full, per file, in the text and GitHub forms; the rest are counted. */
export const MAX_SHOWN = 100;

/**
 * One diagnostic as a code frame:  error[F0301]: message / --> file:line:col / source / caret.
 * Without source text (a file that could not be read): the headline and the file only.
 * Control characters from the file (ANSI escapes, bidi overrides) are shown escaped, never sent
 * to the terminal, and the caret still points at what the span covers.
 */
export function renderText(d: Diagnostic, opts: RenderOptions = {}): string {
  return frame(d, opts, opts.source === undefined ? undefined : opts.source.split("\n"));
}

function frame(d: Diagnostic, opts: RenderOptions, lines: readonly string[] | undefined): string {
  const style = opts.style ?? PLAIN;
  const sev = d.severity === "error" ? style.red : d.severity === "warning" ? style.yellow : style.blue;
  const headline = `${sev(style.bold(`${d.severity}[${d.code}]`))}${style.bold(`: ${escapeControls(d.message)}`)}`;
  const file = escapeControls(fileOf(d, opts));
  // A limit refuses the whole input (F0904): there is no line to point at.
  if (lines === undefined || d.code === "F0904") {
    const out = [headline, ` ${style.blue("-->")} ${file}`];
    if (d.hint) out.push(`  ${style.blue("=")} hint: ${escapeControls(d.hint)}`);
    return out.join("\n");
  }
  const raw = (lines[d.span.line - 1] ?? "").replace(/\r$/, "").replace(/\t/g, " ");
  const gutter = String(d.span.line).length;
  const pad = " ".repeat(gutter);
  const col = Math.max(1, d.span.column);
  const sameLine = d.span.endLine === d.span.line;
  const rawWidth = sameLine ? Math.max(1, Math.min(d.span.endColumn - col, raw.length - col + 1)) : Math.max(1, raw.length - col + 1);
  // Columns count characters of the file; the frame shows escapes, which are wider.
  const lineText = escapeControls(raw);
  const caretAt = escapeControls(raw.slice(0, col - 1)).length + Math.max(0, col - 1 - raw.length);
  const width = Math.max(1, escapeControls(raw.slice(col - 1, col - 1 + rawWidth)).length);
  const shown = lineText.length > 160 ? `${lineText.slice(0, 160)}…` : lineText;
  const out = [
    headline,
    `${pad}${style.blue("-->")} ${file}:${d.span.line}:${d.span.column}`,
    `${pad} ${style.blue("|")}`,
    `${style.blue(String(d.span.line))} ${style.blue("|")} ${shown}`,
    `${pad} ${style.blue("|")} ${" ".repeat(Math.min(caretAt, 160))}${sev("^".repeat(Math.min(width, 160)))}`,
  ];
  if (d.hint) out.push(`${pad} ${style.blue("=")} hint: ${escapeControls(d.hint)}`);
  return out.join("\n");
}

/** `::error file=…,line=…::message`, which GitHub Actions turns into an annotation. */
export function renderGithub(d: Diagnostic, opts: RenderOptions = {}): string {
  const level = d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "notice";
  const esc = (s: string) => escapeControls(s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A"));
  const prop = (s: string) => esc(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
  const message = d.hint ? `${d.message} (hint: ${d.hint})` : d.message;
  return `::${level} file=${prop(fileOf(d, opts))},line=${d.span.line},col=${d.span.column},endLine=${d.span.endLine},endColumn=${d.span.endColumn},title=${prop(`ferc ${d.code}`)}::${esc(message)}`;
}

/** The JSON form: the span flattened to line/column pairs (offsets mean nothing to tools). */
export interface DiagnosticJson {
  readonly code: string;
  readonly severity: Diagnostic["severity"];
  readonly phase: Phase;
  readonly message: string;
  readonly file?: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly hint?: string;
}

export function diagnosticJson(d: Diagnostic, opts: RenderOptions = {}): DiagnosticJson {
  const file = d.file ?? opts.file;
  return {
    code: d.code,
    severity: d.severity,
    phase: d.phase,
    message: d.message,
    ...(file !== undefined ? { file } : {}),
    line: d.span.line,
    column: d.span.column,
    endLine: d.span.endLine,
    endColumn: d.span.endColumn,
    ...(d.hint ? { hint: d.hint } : {}),
  };
}

/**
 * Several diagnostics in one format, ready to write: text frames separated by blank lines,
 * one annotation per line, or JSON Lines (one diagnostic object per line).
 */
export function renderDiagnostics(ds: readonly Diagnostic[], format: DiagnosticFormat, opts: RenderOptions = {}): string {
  if (format === "json") return ds.map((d) => `${JSON.stringify(diagnosticJson(d, opts))}\n`).join("");
  // People and CI logs get the first MAX_SHOWN; the JSON form lists them all.
  const shown = ds.slice(0, MAX_SHOWN);
  const rest = ds.length - shown.length;
  const more = rest > 0 ? `${rest.toLocaleString("en-US")} more diagnostic${rest === 1 ? "" : "s"} not shown (ferc check --format json lists every one)` : "";
  if (format === "github") return shown.map((d) => `${renderGithub(d, opts)}\n`).join("") + (more ? `::notice::${more}\n` : "");
  // The source is split once, not once per diagnostic.
  const lines = opts.source === undefined ? undefined : opts.source.split("\n");
  return shown.map((d) => `${frame(d, opts, lines)}\n\n`).join("") + (more ? `${more}\n\n` : "");
}

/** `file:line:col: error[F0102]: message`, one line, as compilers print for editors. */
export function renderLine(d: Diagnostic, opts: RenderOptions = {}): string {
  return `${fileOf(d, opts)}:${d.span.line}:${d.span.column}: ${d.severity}[${d.code}]: ${d.message}`;
}

/** `# error[F0102] 3:5: message`: a comment line heading a text that must still be a spec. */
export function renderComment(d: Diagnostic): string {
  return `# ${d.severity}[${d.code}] ${d.span.line}:${d.span.column}: ${d.message}`;
}

export function summaryLine(errors: number, warnings: number, style: Style = PLAIN): string {
  const parts = [`${errors} error${errors === 1 ? "" : "s"}`, `${warnings} warning${warnings === 1 ? "" : "s"}`];
  return errors > 0 ? style.red(parts.join(", ")) : parts.join(", ");
}
