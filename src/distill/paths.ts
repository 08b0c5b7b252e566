/**
 * A spec copied elsewhere (a sweep's trial, an ensemble's member to train) keeps its teacher: the
 * `distill` path, written relative to the spec file's directory, is made absolute in the copy.
 */
import * as path from "node:path";
import type { SpecIR } from "../ir.js";

export function withAbsoluteTeacher(spec: SpecIR, specFile: string): SpecIR {
  const d = spec.train.distill;
  if (!d || path.isAbsolute(d.teacher)) return spec;
  return { ...spec, train: { ...spec.train, distill: { ...d, teacher: path.resolve(path.dirname(path.resolve(specFile)), d.teacher) } } };
}
