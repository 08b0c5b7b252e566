/**
 * A distillation teacher: an ensemble record (its members checked against their hashes) or a run
 * record (an ensemble of one), with the hash that names it: a run's is its member hash
 * (src/ensemble/hash.ts), an ensemble's the hash of its members' hashes in order, so the same
 * members give the same teacher (and cached targets) however many ensemble records name them.
 */
import { createHash } from "node:crypto";
import { memberHash } from "../ensemble/hash.js";
import { openEnsemble, type Member } from "../ensemble/members.js";
import { isEnsembleRecord } from "../ensemble/record.js";
import { openRun } from "../run/run.js";

export interface Teacher {
  readonly dir: string;
  readonly kind: "ensemble" | "run";
  /** What the teacher's probabilities depend on; recorded by the student's run. */
  readonly hash: string;
  readonly classes: readonly string[];
  readonly input: readonly [number, number, number];
  /** The data its members were trained on ("" when unknown). */
  readonly dataHash: string;
  readonly members: readonly Member[];
}

export function ensembleTeacherHash(memberHashes: readonly string[]): string {
  return `sha256:${createHash("sha256").update(`ferc ensemble mean\0${memberHashes.join("\0")}`).digest("hex")}`;
}

/** What a student must share with its teacher, and the teacher hash a resumed run recorded. */
export interface StudentFit {
  readonly classes: readonly string[];
  readonly input: readonly [number, number, number];
  readonly dataHash: string;
  readonly expectHash?: string;
}

/** What keeps a teacher from teaching this student, in words (empty when it can). */
export function teacherMisfits(t: Teacher, o: StudentFit): string[] {
  const out: string[] = [];
  if (JSON.stringify(t.classes) !== JSON.stringify(o.classes)) out.push(`its classes are ${t.classes.join(" ")}, the student's ${o.classes.join(" ")}`);
  if (t.input.join("x") !== o.input.join("x")) out.push(`it takes ${t.input.join("x")} images, the student ${o.input.join("x")}`);
  if (t.dataHash !== "" && o.dataHash !== "" && t.dataHash !== o.dataHash) out.push(`it was trained on other data (hash ${t.dataHash.slice(0, 12)}, the student's ${o.dataHash.slice(0, 12)})`);
  if (o.expectHash !== undefined && o.expectHash !== t.hash) out.push(`it changed since this run started (hash ${t.hash.slice(0, 19)}…, recorded ${o.expectHash.slice(0, 19)}…): resuming would train on other targets`);
  return out;
}

/** Open a teacher record; a missing, damaged or changed one is a RecordError naming it. */
export async function openTeacher(dir: string): Promise<Teacher> {
  if (await isEnsembleRecord(dir)) {
    const e = await openEnsemble(dir);
    return { dir, kind: "ensemble", hash: ensembleTeacherHash(e.members.map((m) => m.hash)), classes: e.manifest.classes, input: e.manifest.input, dataHash: e.manifest.dataHash, members: e.members };
  }
  const run = await openRun(dir);
  const checkpoint = run.hasCheckpoint.best ? "best" : "last";
  const hash = await memberHash(dir, checkpoint);
  return { dir, kind: "run", hash, classes: run.spec.dataset.classes, input: run.spec.dataset.input, dataHash: run.manifest.dataHash, members: [{ dir, run, checkpoint, hash }] };
}
