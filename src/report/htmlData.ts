/**
 * What the reports need from one run record, read from its files (report.json, run.yaml,
 * spec.fer, spec.ir.json, classes.svg). No tfjs: a report is only reading.
 */
import * as path from "node:path";
import type { ParamTotals, SpecIR } from "../ir.js";
import { resolvedText } from "../show/resolved.js";
import { showResolved } from "../show/show.js";
import { readManifest, type RunManifest, type RunOverride } from "../run/manifest.js";
import { FILES } from "../run/layout.js";
import { overridesOf, overrideText, specAsRun } from "../run/asRun.js";
import { isMissing, readRecordText } from "../run/recordFiles.js";
import type { RunReport } from "./markdown.js";
import { FercError } from "../errors.js";

/** A run directory that cannot be reported on: names the directory and the missing file. */
export class ReportError extends FercError {
  override readonly name = "ReportError";
  readonly kind = "spec";
}

export interface ReportRun {
  readonly dir: string;
  /** What to call the run in a comparison: its id, or `t2 (id)` for a sweep's trial. */
  readonly label: string;
  readonly manifest: RunManifest;
  readonly report: RunReport;
  /** spec.fer as recorded. */
  readonly source: string;
  /** The spec as run (spec.ir.json with the run's overrides folded in); null when unreadable. */
  readonly spec: SpecIR | null;
  /** How the run differs from spec.fer (command-line overrides). */
  readonly overrides: readonly RunOverride[];
  /**
   * The spec as run in `ferc show --resolved` form (defaults filled, repeats expanded, the shape
   * table), headed by its overrides as comments; spec.fer resolved when spec.ir.json is unreadable.
   */
  readonly resolved: string;
  readonly totals: ParamTotals | null;
  /** The record's class-distribution plot (ferc's own SVG), when present. */
  readonly classesSvg: string | null;
}

/**
 * A record file's text (a regular file inside the record: links and special files are refused,
 * see src/run/recordFiles.ts); null when it is absent. Any other problem is a ReportError.
 */
async function readOptional(dir: string, file: string): Promise<string | null> {
  try {
    return await readRecordText(path.join(dir, file));
  } catch (err) {
    if (isMissing(err)) return null;
    throw new ReportError(`${dir}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function readText(dir: string, file: string): Promise<string> {
  const text = await readOptional(dir, file);
  if (text === null) throw new ReportError(`${dir}: ${file} is missing (not a run record, or one that has not finished writing its report)`);
  return text;
}

/** The parameter totals recorded in spec.ir.json, when they are three counts (shown, never computed with). */
function totalsOf(text: string | null): ParamTotals | null {
  if (text === null) return null;
  try {
    const t = (JSON.parse(text) as { totals?: Partial<ParamTotals> } | null)?.totals;
    const count = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
    return t && count(t.trainable) && count(t.nonTrainable) && count(t.total) ? { trainable: t.trainable, nonTrainable: t.nonTrainable, total: t.total } : null;
  } catch {
    return null;
  }
}

/** spec.ir.json as run, or null when it is missing or not a spec (an older or damaged record). */
function specAsRunOf(text: string | null, m: RunManifest): SpecIR | null {
  if (text === null) return null;
  try {
    const ir = JSON.parse(text) as SpecIR;
    if (typeof ir !== "object" || ir === null || typeof ir.name !== "string" || !ir.dataset || !ir.train || !ir.augment || !ir.model) return null;
    return specAsRun(ir, m);
  } catch {
    return null;
  }
}

/** The resolved text of the spec as run, its overrides first (as comments, so it stays a spec). */
function resolvedAsRun(spec: SpecIR | null, overrides: readonly RunOverride[], source: string, file: string): string {
  const head = overrides.length ? `# as run: ${overrides.map(overrideText).join(", ")}\n` : "";
  if (spec !== null) {
    try {
      return `${head}${resolvedText(spec)}`;
    } catch {
      // An IR from an older ferc that today's printer cannot write: the recorded source instead.
    }
  }
  return `${head}${showResolved(source, file)}`;
}

export async function loadReportRun(dir: string, label?: string): Promise<ReportRun> {
  let manifest: RunManifest;
  try {
    manifest = await readManifest(dir);
  } catch (err) {
    throw new ReportError(`cannot open run ${dir}: ${err instanceof Error ? err.message : String(err)}`);
  }
  let report: RunReport;
  try {
    report = JSON.parse(await readText(dir, FILES.reportJson)) as RunReport;
  } catch (err) {
    if (err instanceof ReportError) throw err;
    throw new ReportError(`${dir}: ${FILES.reportJson} is not valid JSON`);
  }
  const source = await readText(dir, FILES.spec);
  const irText = await readOptional(dir, FILES.ir);
  const totals = totalsOf(irText);
  const classesSvg = await readOptional(dir, FILES.classesSvg);
  const spec = specAsRunOf(irText, manifest);
  const overrides = overridesOf(manifest);
  // Records written before report.json listed the overrides: the manifest's, so every report shows them.
  const withOverrides: RunReport = report.overrides === undefined && overrides.length ? { ...report, overrides } : report;
  return {
    dir,
    label: label ?? manifest.runId,
    manifest,
    report: withOverrides,
    source,
    spec,
    overrides,
    resolved: resolvedAsRun(spec, overrides, source, path.join(dir, FILES.spec)),
    totals,
    classesSvg,
  };
}
