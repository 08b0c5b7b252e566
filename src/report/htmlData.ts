/**
 * What the HTML report needs from one run record, read from its files (report.json, run.yaml,
 * spec.fer, spec.ir.json, classes.svg). No tfjs: a report is only reading.
 */
import { promises as fsp } from "node:fs";
import * as path from "node:path";
import type { ParamTotals } from "../ir.js";
import { showResolved } from "../format/index.js";
import { readManifest, type RunManifest } from "../run/manifest.js";
import { FILES } from "../run/layout.js";
import type { RunReport } from "./markdown.js";

/** A run directory that cannot be reported on: names the directory and the missing file. */
export class ReportError extends Error {
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

async function readText(dir: string, file: string): Promise<string> {
  try {
    return await fsp.readFile(path.join(dir, file), "utf8");
  } catch {
    throw new ReportError(`${dir}: ${file} is missing (not a run record, or one that has not finished writing its report)`);
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
  let totals: ParamTotals | null = null;
  try {
    totals = (JSON.parse(await fsp.readFile(path.join(dir, FILES.ir), "utf8")) as { totals?: ParamTotals }).totals ?? null;
  } catch {
    totals = null;
  }
  let classesSvg: string | null = null;
  try {
    classesSvg = await fsp.readFile(path.join(dir, FILES.classesSvg), "utf8");
  } catch {
    classesSvg = null;
  }
  return { dir, manifest, report, source, resolved: showResolved(source, path.join(dir, FILES.spec)), totals, classesSvg };
}
