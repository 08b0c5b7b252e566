/**
 * `train { init-from RECORD }` and `distill ... targets per-view` through `ferc run`, on generated
 * faces: a fine-tuned run starts from the record's weights (recorded with their hash), a per-view
 * student records its teacher, and records that do not fit are refused with what differs.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import YAML from "yaml";
import { ferc, TINY_SPEC } from "../cli/helpers.js";
import { tempDir, trainShort } from "../export/helpers.js";
import { memberHash } from "../../src/ensemble/hash.js";
import { readCheckpoint } from "../../src/run/checkpoint.js";
import { useCpu } from "../train/helpers.js";

const tmp = tempDir("distill-cli");
const runsDir = join(tmp, "runs");

// The teacher and starting point: a 44x44 window of per-image standardised faces, mirrors averaged.
const CROP = TINY_SPEC.replace("spec tiny", "spec tiny-crop")
  .replace("preprocess { standardize per-image }", "preprocess { standardize per-image }\naugment { random-crop 44x44; flip horizontal }")
  .replace("seed 7 }", "seed 7; tta flip }");
// Another teacher: scaled to [0, 1], the whole image.
const SCALE = TINY_SPEC.replace("spec tiny", "spec tiny-scale").replace("preprocess { standardize per-image }", "preprocess { scale }");

/** The CROP spec as a student of `train` statements (another seed, so its own initialisation differs). */
const student = (name: string, statements: string, model = CROP): string =>
  model.replace("spec tiny-crop", `spec ${name}`).replace("optimizer adam;", "").replace("seed 7; tta flip }", `seed 9; tta flip; ${statements} }`);

interface Manifest {
  status: string;
  message?: string;
  init?: { record: { relative: string }; checkpoint: string; epoch: number; hash: string };
  distill?: { teacherHash: string; kind: string; perView?: boolean; targets?: string };
}
const manifestOf = (dir: string): Manifest => YAML.parse(readFileSync(join(dir, "run.yaml"), "utf8")) as Manifest;
const runDirOf = (stdout: string): string => /run (\S+)\s*$/m.exec(stdout)![1]!;
/** `failed (error) after 0 epochs in 0s; run DIR: MESSAGE`. */
const failedRunDir = (stdout: string): string => /^failed \(error\) .*; run (\S+): /m.exec(stdout)![1]!;

describe("fine-tuning and per-view distillation through ferc run", () => {
  let crop = "", scale = "";
  beforeAll(async () => {
    await useCpu();
    writeFileSync(join(tmp, "crop.fer"), CROP);
    writeFileSync(join(tmp, "scale.fer"), SCALE);
    crop = await trainShort(join(tmp, "crop.fer"), runsDir, 1);
    scale = await trainShort(join(tmp, "scale.fer"), runsDir, 1);
  }, 240_000);

  it("init-from starts from the record's best weights and per-view targets come from its teacher; both are recorded", async () => {
    const rel = `runs/${crop.split("/").pop()}`;
    // A learning rate too small to move the weights: what the run ends with is where it started.
    writeFileSync(join(tmp, "ft.fer"), student("ft", `optimizer adam lr 1e-9; init-from "${rel}"; distill "${rel}" temperature 2 weight 0.5 targets per-view`));
    // Calibration on for any epoch: a per-view student's speed includes its teacher's passes, so it records none.
    const cache = join(tmp, "cache-ft");
    const env = { FERC_CACHE_DIR: cache, FERC_CALIBRATION_MIN_EPOCH_S: "0" };
    const r = await ferc(["run", join(tmp, "ft.fer"), "--runs-dir", join(tmp, "students"), "--epochs", "1", "--augment", "--plain"], { env, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/distill: teacher \S+tiny-crop-\S+ \(a run, targets per view, every step\), temperature 2, weight 0\.5/);
    const dir = runDirOf(r.stdout);
    const m = manifestOf(dir);
    const hash = await memberHash(crop, "best");
    expect(m.init).toMatchObject({ checkpoint: "best", epoch: 1, hash });
    expect(m.distill).toMatchObject({ teacherHash: hash, kind: "run", perView: true });
    expect(m.distill!.targets).toBeUndefined();
    expect(existsSync(join(cache, "calibration.json"))).toBe(false);
    const report = readFileSync(join(dir, "report.md"), "utf8");
    expect(report).toMatch(/fine-tuned from: \S+tiny-crop-\S+ \(its best checkpoint, epoch 1, hash [0-9a-f]{12}\)/);
    expect(report).toMatch(/targets for each training view/);
    // Seed 9's own initialisation is nowhere near seed 7's trained kernels; these are them.
    const from = await readCheckpoint(crop, "best");
    const ended = await readCheckpoint(dir, "last");
    const kernel = from.weights.names.findIndex((n) => /kernel$/.test(n));
    const diff = Math.max(...from.weights.values[kernel]!.map((v, i) => Math.abs(v - ended.weights.values[kernel]![i]!)));
    expect(diff).toBeLessThan(1e-5);
  }, 120_000);

  it("refuses a record of other layers, a teacher that sees other inputs, and a path that is no record", async () => {
    const rel = `runs/${crop.split("/").pop()}`;
    writeFileSync(join(tmp, "other.fer"), student("other", `init-from "${rel}"`).replace("conv 5x5 8", "conv 3x3 6"));
    const other = await ferc(["run", join(tmp, "other.fer"), "--runs-dir", join(tmp, "students"), "--epochs", "1", "--plain"], { timeoutMs: 120_000 });
    expect(other.code).toBe(1);
    expect(manifestOf(failedRunDir(other.stdout)).message).toMatch(/train\.init-from: the weights of \S+ do not fit this spec's model \(weight 0 \(\S+\): checkpoint shape \[5,5,1,8\] vs model \[3,3,1,6\]\)/);

    writeFileSync(join(tmp, "scaled.fer"), student("scaled", `distill "runs/${scale.split("/").pop()}" temperature 2 weight 0.5 targets per-view`));
    const scaled = await ferc(["run", join(tmp, "scaled.fer"), "--runs-dir", join(tmp, "students"), "--epochs", "1", "--plain"], { timeoutMs: 120_000 });
    expect(scaled.code).toBe(1);
    expect(manifestOf(failedRunDir(scaled.stdout)).message).toMatch(/cannot give per-view targets to this spec: it preprocesses its images otherwise than the student; it looks at 48x48 windows, the student at 44x44/);

    writeFileSync(join(tmp, "lost.fer"), student("lost", `init-from "runs/none"`));
    const lost = await ferc(["run", join(tmp, "lost.fer"), "--runs-dir", join(tmp, "students"), "--epochs", "1"]);
    expect(lost.code).toBe(2);
    expect(lost.stderr).toMatch(/train\.init-from: \S+runs\/none is not a run record \(no run\.yaml there\)/);
  }, 240_000);
});
