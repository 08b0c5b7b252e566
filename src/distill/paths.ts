/**
 * A spec copied elsewhere (a sweep's trial, an ensemble's member to train) keeps the records it
 * names: the `distill` teacher and the `init-from` record, written relative to the spec file's
 * directory, are made absolute in the copy.
 */
import * as path from "node:path";
import type { SpecIR } from "../ir.js";

export function withAbsoluteRecordPaths(spec: SpecIR, specFile: string): SpecIR {
  const { distill: d, initFrom } = spec.train;
  const from = (p: string): string => (path.isAbsolute(p) ? p : path.resolve(path.dirname(path.resolve(specFile)), p));
  if ((!d || path.isAbsolute(d.teacher)) && (initFrom === undefined || path.isAbsolute(initFrom))) return spec;
  return {
    ...spec,
    train: { ...spec.train, ...(d ? { distill: { ...d, teacher: from(d.teacher) } } : {}), ...(initFrom !== undefined ? { initFrom: from(initFrom) } : {}) },
  };
}
