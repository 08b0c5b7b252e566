/**
 * Acceptance on the committed FER2013 records: the ONNX export, run in onnxruntime-node, gives
 * `ferc predict`'s probabilities within 1e-4 on real PrivateTest faces: runs/vgg-plus-long-*
 * (whole 48x48 images) and runs/vgg-wide-20261201-105427, the best record (trained on random
 * 44x44 windows, `tta flip`: its export carries the centre window and the mirror averaging), on
 * 64 faces. The faces are read from the data set at test time into a temp directory (never
 * committed). Needs the real FER2013 file; skipped without it. Set FER2013_CSV to point
 * elsewhere. (The tfjs export in the browser: test/serve/browser.test.ts.)
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
const withCheckpoint = (d: string): boolean => existsSync(join(ROOT, "runs", d, "checkpoints"));
const plusLong = readdirSync(join(ROOT, "runs")).find((d) => d.startsWith("vgg-plus-long-") && withCheckpoint(d));
const BEST = "vgg-wide-20261201-105427";

if (!existsSync(REAL)) console.warn(`ONNX acceptance on committed records skipped: no FER2013 data at ${REAL} (set FER2013_CSV)`);

/** Export `record` to ONNX, run `n` PrivateTest faces through onnxruntime and through ferc predict. */
async function compare(record: string, n: number): Promise<{ worst: number; agreeTop: number }> {
  const run = join(ROOT, "runs", record);
  const faces = await privateTestFaces(run, n);
  const file = join(tempDir("real-onnx"), "model.onnx");
  const r = await ferc(["export", run, "--to", "onnx", "-o", file], { timeoutMs: 120_000 });
  expect(r.code, r.stderr).toBe(0);
  const expected = await predictJson(run, faces.paths);
  const session = await ort.InferenceSession.create(file);
  const x = new Float32Array(faces.pixels.length * 48 * 48);
  faces.pixels.forEach((p, i) => x.set(p, i * 48 * 48));
  const out = await session.run({ pixels: new ort.Tensor("float32", x, [faces.pixels.length, 48, 48, 1]) });
  const got = Array.from(out["probabilities"]!.data as Float32Array);
  let worst = 0, agreeTop = 0;
  expected.forEach((e, i) => {
    const row = got.slice(i * 7, (i + 1) * 7);
    const face = e.faces[0]!;
    worst = Math.max(worst, maxAbsDiff(CLASSES.map((c) => face.probabilities[c]!), row));
    if (CLASSES[row.indexOf(Math.max(...row))] === face.top) agreeTop++;
  });
  return { worst, agreeTop };
}

describe.skipIf(!existsSync(REAL) || plusLong === undefined)("committed FER2013 record, whole images", () => {
  it(`${plusLong}: ONNX in onnxruntime-node matches ferc predict within 1e-4 on PrivateTest faces`, async () => {
    const { worst, agreeTop } = await compare(plusLong!, 8);
    expect(agreeTop).toBe(8);
    expect(worst).toBeLessThan(1e-4);
  }, 240_000);
});

describe.skipIf(!existsSync(REAL) || !withCheckpoint(BEST))("the best committed record, random-crop + tta flip", () => {
  it(`${BEST}: ONNX (centre window and mirror in the graph) matches ferc predict within 1e-4 on 64 PrivateTest faces`, async () => {
    const { worst, agreeTop } = await compare(BEST, 64);
    console.log(`${BEST}: ONNX vs ferc predict on 64 PrivateTest faces: max |Δp| = ${worst.toExponential(2)}, same top class ${agreeTop}/64`);
    expect(agreeTop).toBe(64);
    expect(worst).toBeLessThan(1e-4);
  }, 300_000);
});
