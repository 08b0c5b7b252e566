/**
 * An ensemble's members: run records opened through src/run's readers (so a missing or damaged
 * file is named), each with the checkpoint the ensemble uses and its hash (src/ensemble/hash.ts),
 * checked to fit together: the same classes in the same order, the same input size, the same
 * splits and the same data (data hash), so their probabilities can be averaged and the ensemble's
 * figures mean what its members' mean. Each member keeps its own preprocessing and test-time
 * views; those are applied per member to the same raw images. Every problem of every member is
 * reported at once, in one RecordError.
 */
import * as path from "node:path";
import type { CheckpointKind } from "../run/checkpoint.js";
import { FILES } from "../run/layout.js";
import { readRecordText, RecordError } from "../run/recordFiles.js";
import { openRun, type OpenedRun } from "../run/run.js";
import { memberHash } from "./hash.js";
import { memberDir, readEnsembleManifest, type EnsembleManifest } from "./record.js";
export { memberMacs, viewsOf } from "./cost.js";

export interface Member {
  /** The record's directory as found now. */
  readonly dir: string;
  readonly run: OpenedRun;
  readonly checkpoint: CheckpointKind;
  readonly hash: string;
}

/** Training time of the member's epochs (metrics.jsonl; 0 when it has none). */
export async function memberTrainingMs(dir: string): Promise<number> {
  let text: string;
  try {
    text = await readRecordText(path.join(dir, FILES.metrics));
  } catch {
    return 0;
  }
  const byEpoch = new Map<number, number>();
  for (const line of text.split("\n")) {
    try {
      const m = JSON.parse(line) as { epoch?: unknown; timeMs?: unknown };
      if (typeof m.epoch === "number" && typeof m.timeMs === "number") byEpoch.set(m.epoch, m.timeMs);
    } catch {
      // a blank or torn line
    }
  }
  return [...byEpoch.values()].reduce((a, b) => a + b, 0);
}

/** `member 2 (runs/x)`: how problems name a member. */
export const memberLabel = (i: number, dir: string): string => `member ${i + 1} (${dir})`;

/** What makes `b` unusable beside `a` (the first member), in words; empty when they fit. */
export function incompatibilities(a: OpenedRun, b: OpenedRun): string[] {
  const out: string[] = [];
  const da = a.spec.dataset, db = b.spec.dataset;
  if (JSON.stringify(da.classes) !== JSON.stringify(db.classes)) out.push(`its classes are ${db.classes.join(" ")}, ${a.manifest.runId}'s are ${da.classes.join(" ")}: probabilities of different classes cannot be averaged`);
  if (da.input.join("x") !== db.input.join("x")) out.push(`it takes ${db.input.join("x")} images, ${a.manifest.runId} takes ${da.input.join("x")}`);
  if (JSON.stringify(da.split) !== JSON.stringify(db.split)) out.push(`its splits differ from ${a.manifest.runId}'s (${JSON.stringify(db.split)} vs ${JSON.stringify(da.split)}): the members must be trained, selected and tested on the same splits`);
  const ha = a.manifest.dataHash, hb = b.manifest.dataHash;
  if (ha !== "" && hb !== "" && ha !== hb) out.push(`it was trained on other data than ${a.manifest.runId} (data hash ${hb.slice(0, 19)} vs ${ha.slice(0, 19)})`);
  return out;
}

/** What keeps one opened record from being a member at all (no weights, no statistics, a failed run). */
function unusable(run: OpenedRun): string[] {
  const out: string[] = [];
  if (!run.hasCheckpoint.best && !run.hasCheckpoint.last) out.push("it has no checkpoint (neither checkpoints/best nor checkpoints/last)");
  if (run.preprocess === null) out.push(`${FILES.preprocess} is missing`);
  if (run.manifest.status === "failed") out.push(`the run failed${run.manifest.message ? ` (${run.manifest.message})` : ""}`);
  return out;
}

const problemText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Throws one RecordError listing every problem, when there are any. */
function refuse(what: string, problems: readonly string[], file?: string): void {
  if (problems.length === 0) return;
  throw new RecordError(`${what}: ${problems.length === 1 ? problems[0]! : `${problems.length} problems:\n  ${problems.join("\n  ")}`}`, file);
}

export interface OpenedMembers {
  readonly members: readonly Member[];
  /** Not refusals: a member that has not finished contributes its best checkpoint so far. */
  readonly warnings: readonly string[];
}

/** Open the records named as members for a new ensemble, checked to fit together. */
export async function openNewMembers(dirs: readonly string[]): Promise<OpenedMembers> {
  if (dirs.length === 0) throw new RecordError("an ensemble needs at least one member");
  const problems: string[] = [];
  const warnings: string[] = [];
  const members: Member[] = [];
  const seen = new Map<string, number>();
  for (const [i, dir] of dirs.entries()) {
    const label = memberLabel(i, dir);
    const again = seen.get(path.resolve(dir));
    if (again !== undefined) {
      problems.push(`${label}: the same record as member ${again + 1}; a member counts once`);
      continue;
    }
    seen.set(path.resolve(dir), i);
    let run: OpenedRun;
    try {
      run = await openRun(dir);
    } catch (e) {
      problems.push(`${label}: ${problemText(e)}`);
      continue;
    }
    const bad = unusable(run);
    if (bad.length > 0) {
      problems.push(...bad.map((b) => `${label}: ${b}`));
      continue;
    }
    const first = members[0];
    const misfit = first ? incompatibilities(first.run, run) : [];
    if (misfit.length > 0) {
      problems.push(...misfit.map((b) => `${label}: ${b}`));
      continue;
    }
    const checkpoint: CheckpointKind = run.hasCheckpoint.best ? "best" : "last";
    if (run.manifest.status !== "completed") warnings.push(`${label} is ${run.manifest.status} (epoch ${run.manifest.epochsDone} of ${run.manifest.epochsPlanned}): its ${checkpoint} checkpoint so far (epoch ${run.manifest.bestEpoch}) is used`);
    try {
      members.push({ dir, run, checkpoint, hash: await memberHash(dir, checkpoint) });
    } catch (e) {
      problems.push(`${label}: ${problemText(e)}`);
    }
  }
  refuse("cannot build the ensemble", problems);
  return { members, warnings };
}

export interface OpenedEnsemble {
  readonly dir: string;
  readonly manifest: EnsembleManifest;
  readonly members: readonly Member[];
}

/**
 * An ensemble record with its members, each found (beside the record, else at its absolute path),
 * opened and checked against the hash the record holds: a member that changed since the ensemble
 * was built is refused, with what to do.
 */
export async function openEnsemble(dir: string): Promise<OpenedEnsemble> {
  const manifest = await readEnsembleManifest(dir);
  const problems: string[] = [];
  const members: Member[] = [];
  for (const [i, m] of manifest.members.entries()) {
    const found = memberDir(dir, m);
    const label = memberLabel(i, found);
    try {
      const run = await openRun(found);
      const hash = await memberHash(found, m.checkpoint);
      if (hash !== m.hash) {
        problems.push(`${label} changed since the ensemble was built: its ${m.checkpoint} checkpoint, spec or statistics now hash to ${hash.slice(0, 19)}…, the record says ${m.hash.slice(0, 19)}… (build a new ensemble record from the members as they are: ferc ensemble)`);
        continue;
      }
      members.push({ dir: found, run, checkpoint: m.checkpoint, hash });
    } catch (e) {
      problems.push(`${label}: ${problemText(e)}`);
    }
  }
  refuse(`${path.join(dir, "ensemble.yaml")}: the ensemble's members cannot be used`, problems, path.join(dir, "ensemble.yaml"));
  return { dir, manifest, members };
}
