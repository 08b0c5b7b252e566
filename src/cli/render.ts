/**
 * Renderers for diagnostics: a code frame with a caret for people, GitHub workflow annotations
 * for CI, and plain objects for `--format json`.
 */
import type { Diagnostic } from "../diagnostics.js";

export interface Style {
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly blue: (s: string) => string;
  readonly green: (s: string) => string;
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const plain = (s: string) => s;

export const PLAIN: Style = { red: plain, yellow: plain, blue: plain, green: plain, bold: plain, dim: plain };
export const COLOR: Style = {
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  blue: wrap(34, 39),
  green: wrap(32, 39),
  bold: wrap(1, 22),
  dim: wrap(2, 22),
};

/** Colour only for a terminal, unless NO_COLOR / FORCE_COLOR say otherwise. */
export function styleFor(stream: NodeJS.WriteStream): Style {
  if (process.env["NO_COLOR"]) return PLAIN;
  if (process.env["FORCE_COLOR"] && process.env["FORCE_COLOR"] !== "0") return COLOR;
  return stream.isTTY ? COLOR : PLAIN;
}

/** One diagnostic as a code frame:  error[F0301]: message / --> file:line:col / source / caret. */
export function renderDiagnostic(d: Diagnostic, file: string, source: string, style: Style = PLAIN): string {
  const sev = d.severity === "error" ? style.red : d.severity === "warning" ? style.yellow : style.blue;
  const lines = source.split("\n");
  const lineText = (lines[d.span.line - 1] ?? "").replace(/\r$/, "").replace(/\t/g, " ");
  const gutter = String(d.span.line).length;
  const pad = " ".repeat(gutter);
  const col = Math.max(1, d.span.column);
  const sameLine = d.span.endLine === d.span.line;
  const width = sameLine ? Math.max(1, Math.min(d.span.endColumn - col, lineText.length - col + 1)) : Math.max(1, lineText.length - col + 1);
  const shown = lineText.length > 160 ? `${lineText.slice(0, 160)}…` : lineText;
  const out = [
    `${sev(style.bold(`${d.severity}[${d.code}]`))}${style.bold(`: ${d.message}`)}`,
    `${pad}${style.blue("-->")} ${file}:${d.span.line}:${d.span.column}`,
    `${pad} ${style.blue("|")}`,
    `${style.blue(String(d.span.line))} ${style.blue("|")} ${shown}`,
    `${pad} ${style.blue("|")} ${" ".repeat(Math.min(col - 1, 160))}${sev("^".repeat(Math.min(width, 160)))}`,
  ];
  if (d.hint) out.push(`${pad} ${style.blue("=")} hint: ${d.hint}`);
  return out.join("\n");
}

/** `::error file=…,line=…::message` lines that GitHub Actions turns into annotations. */
export function renderGithub(d: Diagnostic, file: string): string {
  const level = d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "notice";
  const esc = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const prop = (s: string) => esc(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
  const message = d.hint ? `${d.message} (hint: ${d.hint})` : d.message;
  return `::${level} file=${prop(file)},line=${d.span.line},col=${d.span.column},endLine=${d.span.endLine},endColumn=${d.span.endColumn},title=${prop(`ferc ${d.code}`)}::${esc(message)}`;
}

export interface DiagnosticJson {
  code: string;
  severity: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  hint?: string;
}

export function diagnosticJson(d: Diagnostic): DiagnosticJson {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    line: d.span.line,
    column: d.span.column,
    endLine: d.span.endLine,
    endColumn: d.span.endColumn,
    ...(d.hint ? { hint: d.hint } : {}),
  };
}

export function summaryLine(errors: number, warnings: number, style: Style = PLAIN): string {
  const parts = [`${errors} error${errors === 1 ? "" : "s"}`, `${warnings} warning${warnings === 1 ? "" : "s"}`];
  return errors > 0 ? style.red(parts.join(", ")) : parts.join(", ");
}
