/**
 * Acceptance on a committed FER2013 record (runs/vgg-plus-long-*): its ONNX export, run in
 * onnxruntime-node, gives `ferc predict`'s probabilities within 1e-4 on real PrivateTest faces
 * (the tfjs export in the browser: test/serve/browser.test.ts). The faces are read from
 * the data set at test time into a temp directory (never committed). Needs the real FER2013
 * file; skipped without it. Set FER2013_CSV to point elsewhere.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { ferc } from "../cli/helpers.js";
import { CLASSES, maxAbsDiff, predictJson, tempDir } from "./helpers.js";
import { FER2013_CSV as REAL, privateTestFaces } from "./fer2013.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const record = readdirSync(join(ROOT, "runs")).find((d) => d.startsWith("vgg-plus-long-") && existsSync(join(ROOT, "runs", d, "checkpoints")));

describe.skipIf(!existsSync(REAL) || record === undefined)("committed FER2013 record", () => {
  it(`${record}: ONNX in onnxruntime-node matches ferc predict within 1e-4 on PrivateTest faces`, async () => {
    const run = join(ROOT, "runs", record!);
    const faces = await privateTestFaces(run, 8);
    const file = join(tempDir("real-onnx"), "model.onnx");
    const r = await ferc(["export", run, "--to", "onnx", "-o", file], { timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    const expected = await predictJson(run, faces.paths);
    const session = await ort.InferenceSession.create(file);
    const x = new Float32Array(faces.pixels.length * 48 * 48);
    faces.pixels.forEach((p, i) => x.set(p, i * 48 * 48));
    const out = await session.run({ pixels: new ort.Tensor("float32", x, [faces.pixels.length, 48, 48, 1]) });
    const got = Array.from(out["probabilities"]!.data as Float32Array);
    let worst = 0;
    expected.forEach((e, i) => {
      const row = got.slice(i * 7, (i + 1) * 7);
      worst = Math.max(worst, maxAbsDiff(CLASSES.map((c) => e.probabilities[c]!), row));
      expect(CLASSES[row.indexOf(Math.max(...row))]).toBe(e.top);
    });
    expect(worst).toBeLessThan(1e-4);
  }, 240_000);
});
