/**
 * What the HTML report needs from one run record, read from its files (report.json, run.yaml,
 * spec.fer, spec.ir.json, classes.svg). No tfjs: a report is only reading.
 */
import * as path from "node:path";
import type { ParamTotals } from "../ir.js";
import { showResolved } from "../format/index.js";
import { readManifest, type RunManifest } from "../run/manifest.js";
import { FILES } from "../run/layout.js";
import { isMissing, readRecordText } from "../run/recordFiles.js";
import type { RunReport } from "./markdown.js";

/** A run directory that cannot be reported on: names the directory and the missing file. */
export class ReportError extends Error {
  override readonly name = "ReportError";
  readonly ferc = true;
}

export interface ReportRun {
  readonly dir: string;
  readonly manifest: RunManifest;
  readonly report: RunReport;
  /** spec.fer as recorded. */
  readonly source: string;
  /** `ferc show --resolved` of it: defaults filled, repeats expanded, the shape table. */
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

export async function loadReportRun(dir: string): Promise<ReportRun> {
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
  const totals = totalsOf(await readOptional(dir, FILES.ir));
  const classesSvg = await readOptional(dir, FILES.classesSvg);
  return { dir, manifest, report, source, resolved: showResolved(source, path.join(dir, FILES.spec)), totals, classesSvg };
}
