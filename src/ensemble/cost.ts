/**
 * What one member costs at inference: its multiply-adds per image and view (src/check/macs.ts)
 * and the views one prediction averages (its window and test-time augmentation). Light (no tfjs),
 * for `ferc check` of an ensemble file as for the ensemble record.
 */
import { modelMacs } from "../check/macs.js";
import type { SpecIR } from "../ir.js";
import type { MemberViews } from "./record.js";

/** One view per window, twice with mirrors: what one image's probabilities average. */
export function viewsOf(spec: SpecIR): MemberViews {
  const window = spec.augment.randomCrop ?? null;
  const tta = spec.train.tta ?? "none";
  const windows = window && tta === "ten-crop" ? 5 : 1;
  return { window, tta, count: windows * (tta === "none" ? 1 : 2) };
}

export const memberMacs = (spec: SpecIR): number | null => modelMacs(spec.model.layers) ?? null;

