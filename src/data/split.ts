/**
 * Map a source's groups (CSV Usage values, folder directories, synthetic pools) onto train/val/test
 * with the spec's split rules, then carve `fraction` rules out of train.
 *
 * Fraction rules take a seeded, class-stratified sample of train (seed FRACTION_SPLIT_SEED, fixed,
 * so the same spec always gets the same val set regardless of the training seed). When both val and
 * test are fractions of train, val is carved first, then test from the remainder's original size.
 */
import { createRng } from "../util/rng.js";
import type { DatasetIR, SplitRuleIR } from "../ir.js";
import { DataError } from "./errors.js";
import type { PerSplit, SourceImages, Split, SplitName } from "./types.js";

export const FRACTION_SPLIT_SEED = 20130;

/** The group name a usage/folder rule selects (folder names compare case-insensitively). */
function ruleMatches(rule: SplitRuleIR, group: string): boolean {
  if (rule.kind === "usage") return rule.value === group;
  if (rule.kind === "folder") return rule.dir.toLowerCase() === group.toLowerCase();
  return false;
}

/**
 * Every group present in the source must be selected by some rule; otherwise the row (or directory)
 * that introduced it is named, so a typo like `Traning` or an unexpected Usage value is loud.
 */
export function checkGroupsSelected(src: SourceImages, rules: DatasetIR["split"], file: string, kind: "csv" | "folder"): void {
  const all = [rules.train, rules.val, rules.test];
  const expected = all.filter((r) => r.kind !== "fraction").map((r) => (r.kind === "usage" ? r.value : r.kind === "folder" ? r.dir : ""));
  src.groupNames.forEach((g, gi) => {
    if (all.some((r) => ruleMatches(r, g))) return;
    const row = src.groupFirstRow[gi];
    const what = kind === "csv" ? `Usage value ${JSON.stringify(g)}` : `directory ${JSON.stringify(g)}`;
    const detail = `${what} is not selected by any split rule (rules select: ${expected.map((e) => JSON.stringify(e)).join(", ") || "nothing"})`;
    throw new DataError(detail, row !== undefined && row > 0 ? { file, row } : { file });
  });
}

function gather(src: SourceImages, idx: readonly number[]): Split {
  const rowSize = src.height * src.width * src.channels;
  const pixels = new Uint8Array(idx.length * rowSize);
  const labels = new Uint8Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    pixels.set(src.pixels.subarray(i * rowSize, (i + 1) * rowSize), k * rowSize);
    labels[k] = src.labels[i]!;
  }
  return { n: idx.length, height: src.height, width: src.width, channels: src.channels, pixels, labels };
}

/** Take round(fraction * n) indices from `pool`, stratified by class; returns [taken, rest]. */
function carve(src: SourceImages, pool: number[], fraction: number, seed: number): [number[], number[]] {
  const rng = createRng(seed);
  const byClass = new Map<number, number[]>();
  for (const i of pool) {
    const c = src.labels[i]!;
    const list = byClass.get(c);
    if (list === undefined) byClass.set(c, [i]);
    else list.push(i);
  }
  const taken = new Set<number>();
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const list = byClass.get(c)!;
    rng.shuffle(list);
    const k = Math.round(list.length * fraction);
    for (let j = 0; j < k; j++) taken.add(list[j]!);
  }
  const a: number[] = [], b: number[] = [];
  for (const i of pool) (taken.has(i) ? a : b).push(i);
  return [a, b];
}

/** Split the source's images into train/val/test following the rules. */
export function applySplitRules(src: SourceImages, rules: DatasetIR["split"], file: string): PerSplit<Split> {
  const members: PerSplit<number[]> = { train: [], val: [], test: [] };
  const names: SplitName[] = ["train", "val", "test"];
  for (let i = 0; i < src.n; i++) {
    const g = src.groupNames[src.groups[i]!]!;
    for (const s of names) if (ruleMatches(rules[s], g)) members[s].push(i);
  }
  const trainSize = members.train.length;
  let seed = FRACTION_SPLIT_SEED;
  for (const s of ["val", "test"] as const) {
    const rule = rules[s];
    if (rule.kind !== "fraction") continue;
    if (!(rule.fraction > 0 && rule.fraction < 1)) throw new DataError(`split ${s}: fraction must be in (0, 1), got ${rule.fraction}`, { file });
    // Relative to the original train size, so `val 10%, test 10%` means 10% each of the original.
    const frac = Math.min(1, (rule.fraction * trainSize) / Math.max(1, members.train.length));
    [members[s], members.train] = carve(src, members.train, frac, seed++);
  }
  if (rules.train.kind === "fraction") throw new DataError("split train cannot be a fraction of itself", { file });
  for (const s of names) {
    if (members[s].length === 0) {
      const r = rules[s];
      const how = r.kind === "usage" ? `no rows with Usage = ${JSON.stringify(r.value)}` : r.kind === "folder" ? `no images in directory ${JSON.stringify(r.dir)}` : `fraction ${r.fraction} of train is empty`;
      throw new DataError(`split ${s} is empty: ${how}`, { file });
    }
  }
  return { train: gather(src, members.train), val: gather(src, members.val), test: gather(src, members.test) };
}
