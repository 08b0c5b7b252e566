/**
 * A spec trained on random 40x40 windows of 48x48 images with ten-crop test-time averaging, end
 * to end as a user runs it: ferc run, ferc eval (reproduces the recorded test figure), ferc
 * predict on 48x48 PNGs (the same ten views: predict and eval give the same confusion matrix), and
 * ferc export (the views in the ONNX graph, agreeing with predict; in the tfjs manifest).
 */
import { promises as fsp } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PNG } from "pngjs";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as ort from "onnxruntime-node";
import { ferc } from "./helpers.js";
import { CLASSES, maxAbsDiff, predictJson, writeFaces, writeGreyPng, type Predicted } from "../export/helpers.js";
import { loadDataset } from "../../src/data/load.js";
import type { SpecIR } from "../../src/ir.js";
import type { TfjsManifest } from "../../src/export/index.js";

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

  it("ferc predict takes a 48x48 image (the model sees its ten windows, mirrored)", async () => {
    const r = await ferc(["predict", runDir, path.join(tmp, "face.png"), "--json"], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    const [p] = JSON.parse(r.stdout) as Predicted[];
    expect(p!.detected).toBe(false);
    expect(p!.faces).toHaveLength(1);
    expect(p!.faces[0]!.box).toEqual({ x: 0, y: 0, width: 48, height: 48 });
    expect(Object.values(p!.faces[0]!.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  }, 60_000);

  it("ferc predict and ferc eval agree on every test image: the same confusion matrix", async () => {
    // eval reads the test split from the data set; predict reads the same faces as PNG files.
    const ir = JSON.parse(await fsp.readFile(path.join(runDir, "spec.ir.json"), "utf8")) as SpecIR;
    const data = await loadDataset(ir.dataset, { cacheDir: path.join(tmp, "cache") });
    const dir = path.join(tmp, "test-split");
    await fsp.mkdir(dir, { recursive: true });
    const size = 48 * 48;
    const files = Array.from({ length: data.test.n }, (_, i) => writeGreyPng(path.join(dir, `t${i}.png`), data.test.pixels.slice(i * size, (i + 1) * size), 48, 48));
    const predicted = await predictJson(runDir, files);
    const confusion = CLASSES.map(() => CLASSES.map(() => 0));
    predicted.forEach((p, i) => confusion[data.test.labels[i]!]![CLASSES.indexOf(p.faces[0]!.top as (typeof CLASSES)[number])]!++);
    const e = await ferc(["eval", runDir, "--json"], { cwd: tmp, env: { FERC_CACHE_DIR: path.join(tmp, "cache") } });
    expect(e.code, e.stderr).toBe(0);
    const out = JSON.parse(e.stdout) as { n: number; confusion: number[][]; tta: string };
    expect(out.tta).toBe("ten-crop");
    expect(out.n).toBe(data.test.n);
    expect(confusion).toEqual(out.confusion);
  }, 120_000);

  it("ferc export carries the ten windows and mirrors: onnxruntime agrees with ferc predict within 1e-4", async () => {
    const file = path.join(tmp, "m.onnx");
    const r = await ferc(["export", runDir, "--to", "onnx", "-o", file], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("in the graph: the model's 40x40 corner and centre windows, averaged with mirrors, tta ten-crop");
    const faces = writeFaces(tmp, 4, 31);
    const expected = await predictJson(runDir, faces.paths);
    const session = await ort.InferenceSession.create(file);
    const x = new Float32Array(faces.pixels.length * 48 * 48);
    faces.pixels.forEach((p, i) => x.set(p, i * 48 * 48));
    const got = (await session.run({ pixels: new ort.Tensor("float32", x, [faces.pixels.length, 48, 48, 1]) }))["probabilities"]!.data as Float32Array;
    expected.forEach((e, i) => expect(maxAbsDiff(CLASSES.map((c) => e.faces[0]!.probabilities[c]!), Array.from(got.slice(i * 7, (i + 1) * 7)))).toBeLessThan(1e-4));
    const web = path.join(tmp, "web");
    expect((await ferc(["export", runDir, "--to", "tfjs", "-o", web], { cwd: tmp })).code).toBe(0);
    const manifest = JSON.parse(await fsp.readFile(path.join(web, "preprocess.json"), "utf8")) as TfjsManifest;
    expect(manifest.views).toEqual({ window: [40, 40], tta: "ten-crop", modelInput: [null, 40, 40, 1] });
  }, 120_000);
});
