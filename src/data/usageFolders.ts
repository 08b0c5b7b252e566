/**
 * `usage "…"` split rules on an image-folder source (typically `--data FOLDER` with a spec written
 * for the FER2013 CSV): each Usage value maps to a split directory that exists in the folder, so
 * one spec runs on both layouts. The Kaggle image version has train/ and test/; some copies keep
 * the CSV's names (Training/, PublicTest/, PrivateTest/) or add val/. A Usage value with no
 * directory is an error that says what to write instead.
 */
import { readdir } from "node:fs/promises";
import type { DatasetIR, SplitRuleIR } from "../ir.js";
import { DataError } from "./errors.js";

/** Directory names tried for each FER2013 Usage value, in order (matched case-insensitively). */
export const USAGE_DIRS: Readonly<Record<string, readonly string[]>> = {
  Training: ["Training", "train"],
  PublicTest: ["PublicTest", "val", "validation"],
  PrivateTest: ["PrivateTest", "test"],
};

type Which = "train" | "val" | "test";

export interface FolderMapping {
  readonly rules: DatasetIR["split"];
  /** `usage "Training" -> train/`, for the data report; empty when no rule was mapped. */
  readonly mapped: readonly string[];
}

export async function folderRulesForUsage(rules: DatasetIR["split"], root: string): Promise<FolderMapping> {
  const usages = (["train", "val", "test"] as const).filter((w) => rules[w].kind === "usage");
  if (usages.length === 0) return { rules, mapped: [] };
  let dirs: string[];
  try {
    dirs = (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch (e) {
    throw new DataError(`cannot read directory: ${(e as Error).message}`, { file: root });
  }
  const out: Record<Which, SplitRuleIR> = { ...rules };
  const mapped: string[] = [];
  for (const which of usages) {
    const value = (rules[which] as { readonly value: string }).value;
    const candidates = USAGE_DIRS[value] ?? [value];
    const dir = candidates.map((c) => dirs.find((d) => d.toLowerCase() === c.toLowerCase())).find((d) => d !== undefined);
    if (dir === undefined) throw new DataError(missingMessage(which, value, candidates, dirs), { file: root });
    out[which] = { kind: "folder", dir };
    mapped.push(`usage ${JSON.stringify(value)} -> ${dir}/`);
  }
  return { rules: out, mapped };
}

/** What to do when a Usage value has no directory: the exact split statement to write. */
function missingMessage(which: Which, value: string, candidates: readonly string[], dirs: readonly string[]): string {
  const tried = candidates.map((c) => `${c}/`).join(" or ");
  const has = dirs.length ? `it has ${dirs.map((d) => `${d}/`).join(", ")}` : "it has no subdirectories";
  const write = which === "val" ? `val = fraction 0.1 of train (or val = folder "DIR")` : `${which} = folder "DIR"`;
  return `split ${which} = usage ${JSON.stringify(value)} needs a directory ${tried} in the image folder, but ${has}: ` +
    `write ${write} in the spec's split { }, or add a ${which}/ directory`;
}
