/** Reading an ensemble record's report files (no tfjs): for `ferc report` and the serve page. */
import * as path from "node:path";
import { isObject, readRecordJson } from "../run/recordFiles.js";
import { ENSEMBLE_FILES, readEnsembleManifest, type EnsembleManifest } from "./record.js";
import type { EnsembleReport } from "./report.js";

export async function readEnsembleReport(dir: string): Promise<{ manifest: EnsembleManifest; report: EnsembleReport }> {
  const manifest = await readEnsembleManifest(dir);
  const report = await readRecordJson<EnsembleReport>(path.join(dir, ENSEMBLE_FILES.reportJson), (v) => (isObject(v) && v["kind"] === "ensemble" ? null : "not an ensemble report"));
  return { manifest, report };
}
