/**
 * Where a run's data is, independent of the working directory. A spec's relative `source` is
 * relative to the spec file's directory; a data path given for the run (`--data PATH`) is relative
 * to the working directory. The run records the path it read both absolute and relative to the
 * run directory, so eval and resume find the data from anywhere: next to the record if the two
 * moved together, else at the absolute path.
 */
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { SpecIR } from "../ir.js";
import type { RunManifest } from "./manifest.js";
import { RunRequestError } from "./requestError.js";

/** The absolute path a run of `spec` reads (undefined for synthetic data). */
export function effectiveSourcePath(spec: SpecIR, specFile: string, dataPath: string | undefined): string | undefined {
  if (dataPath !== undefined) return dataPath === "synthetic" ? undefined : resolve(dataPath);
  const s = spec.dataset.source;
  return s.kind === "synthetic" ? undefined : resolve(dirname(resolve(specFile)), s.path);
}

/**
 * For eval and resume without a data path: the recorded source as it can be found now, or
 * undefined when the run read synthetic data. A source that is nowhere to be found is a
 * RunRequestError saying where it was looked for.
 */
export function recordedSourcePath(runDir: string, m: RunManifest): string | undefined {
  const s = m.dataSource;
  if (s !== undefined) {
    const candidates = [resolve(runDir, s.relative), s.absolute];
    const found = candidates.find((p) => existsSync(p));
    if (found !== undefined) return found;
    // Data never loaded (the run failed before): the record's own state is the thing to report.
    if (m.dataHash === "") return s.absolute;
    throw new RunRequestError(`the run's data is not at ${candidates[0]} (${s.relative} from the record) nor at ${s.absolute}; pass --data PATH`);
  }
  // Records written before dataSource: --data was relative to the directory the run started in.
  const d = m.flags["data"];
  if (typeof d !== "string" || d === "synthetic") return undefined;
  const p = resolve(d);
  if (existsSync(p) || m.dataHash === "") return p;
  throw new RunRequestError(`the run was given --data ${d}, relative to the directory it started in, and it is not at ${p}; run from that directory or pass --data PATH`);
}
