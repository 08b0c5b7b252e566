/**
 * `ferc export --to onnx` on short real runs: onnxruntime-node must give the probabilities
 * `ferc predict` gives (within 1e-4) on generated faces, for every layer kind and pooling /
 * padding variant the specs use, and the file must keep the contract (names, shapes, opset).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import onnxProto from "onnx-proto";
import { beforeAll, describe, expect, it } from "vitest";
import { ferc } from "../cli/helpers.js";
import { CLASSES, maxAbsDiff, predictJson, tempDir, trainShort, writeFaces } from "./helpers.js";

const tmp = tempDir("onnx");
const faces = writeFaces(tmp, 6, 101);

async function ortProbabilities(file: string, pixels: readonly Uint8Array[]): Promise<number[][]> {
  const session = await ort.InferenceSession.create(file);
  const x = new Float32Array(pixels.length * 48 * 48);
  pixels.forEach((p, i) => x.set(p, i * 48 * 48));
  const out = await session.run({ pixels: new ort.Tensor("float32", x, [pixels.length, 48, 48, 1]) });
  const probs = out["probabilities"]!;
  expect(probs.dims).toEqual([pixels.length, 7]);
  const data = Array.from(probs.data as Float32Array);
  return pixels.map((_, i) => data.slice(i * 7, (i + 1) * 7));
}

async function exportAndCompare(run: string): Promise<{ file: string; worst: number }> {
  const file = join(tmp, `${run.split("/").pop()}.onnx`);
  const r = await ferc(["export", run, "--to", "onnx", "-o", file]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const expected = await predictJson(run, faces.paths);
  const got = await ortProbabilities(file, faces.pixels);
  let worst = 0;
  expected.forEach((e, i) => {
    const want = CLASSES.map((c) => e.faces[0]!.probabilities[c]!);
    worst = Math.max(worst, maxAbsDiff(want, got[i]!));
    const top = got[i]!.indexOf(Math.max(...got[i]!));
    expect(CLASSES[top]).toBe(e.faces[0]!.top);
  });
  expect(worst).toBeLessThan(1e-4);
  return { file, worst };
}

describe("ferc export --to onnx", () => {
  let demo = "";
  beforeAll(async () => {
    demo = await trainShort("specs/demo.fer", join(tmp, "runs"), 2);
  }, 180_000);

  it("specs/demo.fer: onnxruntime matches ferc predict within 1e-4", async () => {
    const { file } = await exportAndCompare(demo);
    // The contract: opset >= 13, input pixels [N,48,48,1] float, output probabilities [N,7].
    const model = onnxProto.onnx.ModelProto.decode(readFileSync(file));
    expect(Number(model.opsetImport[0]!.version)).toBeGreaterThanOrEqual(13);
    const dims = (v: onnxProto.onnx.IValueInfoProto) => v.type!.tensorType!.shape!.dim!.map((d) => (d.dimParam ? d.dimParam : Number(d.dimValue)));
    expect(model.graph!.input!.map((i) => i.name)).toEqual(["pixels"]);
    expect(dims(model.graph!.input![0]!)).toEqual(["N", 48, 48, 1]);
    expect(model.graph!.output!.map((o) => o.name)).toEqual(["probabilities"]);
    expect(dims(model.graph!.output![0]!)).toEqual(["N", 7]);
    const meta = Object.fromEntries(model.metadataProps!.map((p) => [p.key, p.value]));
    expect(JSON.parse(meta["classes"]!)).toEqual(CLASSES);
    // Per-image standardisation is in the graph: the file is fed raw 0..255 values.
    expect(model.graph!.node!.some((n) => n.opType === "ReduceMean")).toBe(true);
  });

  it("every layer kind (residual, separable, depthwise, pooling kinds, batchnorm, activations), dataset statistics in the graph", async () => {
    // The cpu backend: stock tfjs-wasm has no depthwise gradient, and the point here is the export.
    const run = await trainShort("test/export/fixtures/layers-a.fer", join(tmp, "runs"), 1, "cpu");
    await exportAndCompare(run);
  }, 180_000);

  it("valid padding, strided depthwise, softmax over channels, global average pooling, per-image statistics", async () => {
    const run = await trainShort("test/export/fixtures/layers-b.fer", join(tmp, "runs"), 1, "cpu");
    await exportAndCompare(run);
  }, 180_000);

  it("exits 2 naming the problem: no --to, a directory that is not a run, -o a directory", async () => {
    const noTo = await ferc(["export", demo]);
    expect(noTo.code).toBe(2);
    expect(noTo.stderr).toMatch(/--to onnx\|tfjs is required/);
    const isDir = await ferc(["export", demo, "--to", "onnx", "-o", tmp]);
    expect(isDir.code).toBe(2);
    expect(isDir.stderr).toMatch(/is a directory/);
    const notRun = await ferc(["export", tmp, "--to", "onnx", "-o", join(tmp, "x.onnx")]);
    expect(notRun.code).toBe(2);
    expect(notRun.stderr).toMatch(/cannot open run/);
    expect(notRun.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
