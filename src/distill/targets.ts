/**
 * The teacher's targets for distillation: its class probabilities for every image of the train
 * split (each member on its own preprocessing and test-time views, averaged, as `ferc predict`
 * computes them), computed once and cached in `<cache>/distill/`, keyed by the teacher's hash and
 * the train split's content (so a changed teacher, another `--limit` or other data is a miss).
 * Train split only: the validation and test splits never reach the teacher.
 *
 * They are the teacher's view of each *unaugmented* image. With augmentation the student is
 * trained on a warped, cropped, mirrored (and mixed) view against them: the targets stand for
 * the image, not the exact view. Mirroring is exact for a teacher whose members average flips
 * (`tta flip`: its probabilities are the same for an image and its mirror); windows are covered
 * by members that average ten-crop; rotation, zoom and erasing are approximated. mixup mixes the
 * targets with the same λ and partner as the images (src/train/batch.ts). Computing the teacher
 * per batch on the exact view would cost each member's forward pass on every step (for three
 * vgg-wide members about as much as the student's training step itself on a CPU); the cached
 * targets cost one pass over the train split, once per teacher.
 */
import { createHash } from "node:crypto";
import { promises as fsp } from "node:fs";
import * as path from "node:path";
import type { Split } from "../data/types.js";
import { openEnsemblePredictor, probabilitiesOf } from "../ensemble/predict.js";
import { writeFileAtomic } from "../run/atomicFs.js";
import { RecordError } from "../run/recordFiles.js";
import type { PredictOptions } from "../run/run.js";
import { makeDirs } from "../util/mkdirs.js";
import { openTeacher, teacherMisfits } from "./teacher.js";
import type { TeacherTargets } from "./soft.js";

export interface TeacherTargetOptions {
  readonly buildModel: NonNullable<PredictOptions["buildModel"]>;
  /** The cache directory (`.ferc-cache`, or $FERC_CACHE_DIR); the targets go under distill/. */
  readonly cacheDir: string;
  /** The student's classes, input and data: the teacher must share them. */
  readonly classes: readonly string[];
  readonly input: readonly [number, number, number];
  readonly dataHash: string;
  /** The hash a resumed run recorded: a teacher that changed since is refused. */
  readonly expectHash?: string;
}

/** sha256 of the train split's images and labels (what the targets are a function of, with the teacher). */
export function splitHash(s: Split): string {
  const h = createHash("sha256");
  h.update(`${s.n}x${s.height}x${s.width}x${s.channels}\0`);
  h.update(s.pixels);
  h.update(s.labels);
  return h.digest("hex");
}

export function targetsKey(teacherHash: string, train: Split, k: number): string {
  return createHash("sha256").update(`ferc distill targets v1\0${teacherHash}\0${splitHash(train)}\0${k}`).digest("hex");
}

const MAGIC = "FERCSOFT";

export const targetsFile = (cacheDir: string, key: string): string => path.join(cacheDir, "distill", `${key}.f32`);

/** The cached targets, or null when absent or not of this shape (a damaged entry is recomputed). */
export async function readCachedTargets(file: string, n: number, k: number): Promise<Float32Array | null> {
  let buf: Buffer;
  try {
    buf = await fsp.readFile(file);
  } catch {
    return null;
  }
  const head = 16;
  if (buf.byteLength !== head + n * k * 4 || buf.toString("ascii", 0, 8) !== MAGIC || buf.readUInt32LE(8) !== n || buf.readUInt32LE(12) !== k) return null;
  const out = new Float32Array(n * k);
  new Uint8Array(out.buffer).set(buf.subarray(head));
  return out;
}

export async function writeCachedTargets(file: string, probs: Float32Array, n: number, k: number): Promise<void> {
  const buf = Buffer.alloc(16 + probs.byteLength);
  buf.write(MAGIC, 0, "ascii");
  buf.writeUInt32LE(n, 8);
  buf.writeUInt32LE(k, 12);
  Buffer.from(probs.buffer, probs.byteOffset, probs.byteLength).copy(buf, 16);
  await makeDirs(path.dirname(file));
  await writeFileAtomic(file, buf);
}

/** The teacher's probabilities on `train`, from the cache or computed (and cached). */
export async function teacherTargets(dir: string, train: Split, o: TeacherTargetOptions, onPhase?: (message: string) => void): Promise<TeacherTargets> {
  const teacher = await openTeacher(dir);
  const bad = teacherMisfits(teacher, o);
  if (bad.length > 0) throw new RecordError(`train.distill: the teacher ${dir} cannot teach this spec: ${bad.join("; ")}`);
  const k = o.classes.length;
  const key = targetsKey(teacher.hash, train, k);
  const file = targetsFile(o.cacheDir, key);
  const base = { teacherHash: teacher.hash, kind: teacher.kind, members: teacher.members.length, key };
  const hit = await readCachedTargets(file, train.n, k);
  if (hit) {
    onPhase?.(`teacher targets from the cache (${teacher.kind} of ${teacher.members.length}, ${train.n} train images)`);
    return { ...base, probs: hit, cached: true };
  }
  onPhase?.(`computing the teacher's targets: ${teacher.members.length} member${teacher.members.length === 1 ? "" : "s"} on ${train.n} train images (once; cached)`);
  const p = await openEnsemblePredictor(teacher.members, o.classes, { buildModel: o.buildModel });
  let probs: Float32Array;
  try {
    probs = await probabilitiesOf(p, train.pixels, train.n);
  } finally {
    p.dispose();
  }
  try {
    await writeCachedTargets(file, probs, train.n, k);
  } catch {
    // An unwritable cache costs the next run this pass, not this run.
  }
  return { ...base, probs, cached: false };
}
