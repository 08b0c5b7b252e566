/**
 * Per-view teacher targets (`distill RECORD ... targets per-view`): the teacher's probabilities for
 * the exact batch the student trains on (cropped, warped, erased, mixed), computed with every
 * step, softened by the temperature. Cached targets (targets.ts) are the teacher's view of each
 * unaugmented image, which a heavily augmented view (a 44x44 window, half the face erased) no
 * longer matches; "function matching" (Beyer et al. 2022, "Knowledge distillation: a good teacher
 * is patient and consistent") found the consistent view is what lets a student reach its teacher.
 *
 * The price is each member's forward pass per step. The members see the student's input as it is:
 * no test-time views of their own (the student's batch already is a random view), so they must
 * preprocess as the student does and take its window; a teacher that does not is refused, naming
 * the member and what differs.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { LayersModel } from "@tensorflow/tfjs-layers";
import { inferenceModel, releaseInferenceModel } from "../compile/fold.js";
import { loadRunModel, type LoadModelOptions } from "../run/run.js";
import { RecordError } from "../run/recordFiles.js";
import { openTeacher, teacherMisfits } from "./teacher.js";
import { modelWindow, type ViewTeacher, type ViewTeacherRequest } from "./view.js";

export type { ViewTeacher } from "./view.js";

export type ViewTeacherOptions = ViewTeacherRequest & { readonly buildModel: NonNullable<LoadModelOptions["buildModel"]> };

/** Below this a probability counts as this (as src/distill/soft.ts). */
const FLOOR = 1e-12;

/** Open the teacher's members for per-view targets; a teacher that cannot is a RecordError saying why. */
export async function openViewTeacher(dir: string, o: ViewTeacherOptions): Promise<ViewTeacher> {
  if (!(o.temperature > 0)) throw new Error(`temperature must be > 0, got ${o.temperature}`);
  const teacher = await openTeacher(dir);
  const bad = teacherMisfits(teacher, o);
  teacher.members.forEach((m, i) => {
    const who = teacher.members.length === 1 ? "it" : `member ${i + 1} (${m.dir})`;
    if (JSON.stringify(m.run.spec.preprocess) !== JSON.stringify(o.preprocess)) bad.push(`${who} preprocesses its images otherwise than the student`);
    const w = modelWindow(m.run.spec);
    if (w[0] !== o.window[0] || w[1] !== o.window[1]) bad.push(`${who} looks at ${w[0]}x${w[1]} windows, the student at ${o.window[0]}x${o.window[1]}`);
  });
  if (bad.length > 0) {
    throw new RecordError(`train.distill: the teacher ${dir} cannot give per-view targets to this spec: ${bad.join("; ")} (targets cached has no such need)`);
  }
  const models: LayersModel[] = [];
  try {
    for (const m of teacher.members) models.push(await loadRunModel(m.run, { buildModel: o.buildModel, checkpoint: m.checkpoint }));
  } catch (e) {
    for (const model of models) model.dispose();
    throw e;
  }
  // Batch norm folded into the convolutions (compile/fold.ts): the members only ever infer.
  const folded = models.map((m) => inferenceModel(m));
  const t = o.temperature;
  return {
    hash: teacher.hash,
    kind: teacher.kind,
    members: teacher.members.length,
    targets: (x) =>
      tf.tidy(() => {
        const probs = folded.map((m) => m.apply(x, { training: false }) as tf.Tensor2D);
        const mean = probs.length === 1 ? probs[0]! : tf.div(tf.addN(probs), probs.length);
        return tf.softmax(tf.div(tf.log(tf.maximum(mean, FLOOR)), t)) as tf.Tensor2D;
      }),
    dispose() {
      for (const m of models) {
        releaseInferenceModel(m);
        m.dispose();
      }
    },
  };
}
