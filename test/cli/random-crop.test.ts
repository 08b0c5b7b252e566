/**
 * A spec trained on random 40x40 windows of 48x48 images with ten-crop test-time averaging, end
 * to end as a user runs it: ferc run, ferc eval (reproduces the recorded test figure), ferc
 * predict on a 48x48 PNG (the centre window), and a clear refusal from ferc export.
 */
import { promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PNG } from "pngjs";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ferc } from "./helpers.js";

const SPEC = `spec cropped
dataset faces {
  source synthetic count 700 seed 3
  input 48x48x1
  classes angry disgust fear happy sad surprise neutral
}
preprocess { standardize per-image }
augment { random-crop 40x40; flip horizontal; mixup 0.2 }
model {
  conv 5x5 8 relu stride 2 same
  maxpool 2x2
  flatten
  dense 7 softmax
}
train { optimizer adam lr 2e-3; batch 64; epochs 1; tta ten-crop; seed 1 }
expect { shape conv1 = 20x20x8 }
`;

let tmp = "";
let runDir = "";
beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), "ferc-random-crop-"));
  await fsp.writeFile(path.join(tmp, "cropped.fer"), SPEC);
  const png = new PNG({ width: 48, height: 48 });
  png.data.fill(128);
  await fsp.writeFile(path.join(tmp, "face.png"), PNG.sync.write(png));
});
afterAll(() => fsp.rm(tmp, { recursive: true, force: true }));

describe("random-crop + tta ten-crop, end to end", () => {
  it("ferc run --augment trains on 40x40 windows and tests with ten-crop", async () => {
    const r = await ferc(["run", "cropped.fer", "--augment", "--plain", "--json", "--runs-dir", "runs"], { cwd: tmp, env: { FERC_CACHE_DIR: path.join(tmp, "cache") }, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const [id] = await fsp.readdir(path.join(tmp, "runs"));
    runDir = path.join(tmp, "runs", id!);
    const report = JSON.parse(await fsp.readFile(path.join(runDir, "report.json"), "utf8"));
    expect(report.test.tta).toBe("ten-crop");
    expect(report.protocol.tta).toEqual({ split: "none", note: "ten-crop: fixed in the spec" });
    const ir = JSON.parse(await fsp.readFile(path.join(runDir, "spec.ir.json"), "utf8"));
    expect(ir.model.input).toEqual([40, 40, 1]);
    expect(ir.augment.mixup).toBe(0.2); // trained with mixup on the cropped windows too
  }, 120_000);

  it("ferc eval reproduces the recorded figure; --tta none evaluates the centre window", async () => {
    const m = YAML.parse(await fsp.readFile(path.join(runDir, "run.yaml"), "utf8"));
    const r = await ferc(["eval", runDir, "--json"], { cwd: tmp, env: { FERC_CACHE_DIR: path.join(tmp, "cache") } });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.tta).toBe("ten-crop");
    expect(Math.abs(out.acc - m.test.acc)).toBeLessThanOrEqual(0.001);
    const centre = JSON.parse((await ferc(["eval", runDir, "--json", "--tta", "none"], { cwd: tmp, env: { FERC_CACHE_DIR: path.join(tmp, "cache") } })).stdout);
    expect(centre.tta).toBeUndefined();
    expect(centre.n).toBe(out.n);
  }, 60_000);

  it("ferc predict takes a 48x48 image (the model sees its centre window)", async () => {
    const r = await ferc(["predict", runDir, path.join(tmp, "face.png"), "--json"], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    const [p] = JSON.parse(r.stdout);
    expect(Object.values(p.probabilities as Record<string, number>).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  }, 60_000);

  it("ferc export refuses, saying why and what to use instead", async () => {
    const r = await ferc(["export", runDir, "--to", "onnx", "-o", path.join(tmp, "m.onnx")], { cwd: tmp });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the model was trained on 40x40 windows (augment random-crop); export and serve do not crop yet: use ferc predict or ferc eval");
  }, 60_000);
});
