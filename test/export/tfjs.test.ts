/**
 * `ferc export --to tfjs`: the directory loads with tf.loadLayersModel, and feeding it as its
 * preprocess.json says gives `ferc predict`'s probabilities. (The in-browser use is covered by
 * test/serve/browser.test.ts.)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import { beforeAll, describe, expect, it } from "vitest";
import { applyPreprocess } from "../../src/data/preprocess.js";
import type { TfjsManifest } from "../../src/export/index.js";
import { ferc } from "../cli/helpers.js";
import { FACE_MARGIN } from "../../src/face/region.js";
import { CLASSES, maxAbsDiff, predictJson, tempDir, trainShort, writeFaces } from "./helpers.js";

const tmp = tempDir("tfjs");
const faces = writeFaces(tmp, 4, 303);

/** tf.loadLayersModel from a directory, as tfjs-node's file:// handler would (no tfjs-node here). */
function dirHandler(dir: string): tf.io.IOHandler {
  return {
    async load() {
      const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as { modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
      const bins = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p))));
      const all = Buffer.concat(bins);
      return {
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      };
    },
  };
}

describe("ferc export --to tfjs", () => {
  let run = "";
  beforeAll(async () => {
    await tf.setBackend("cpu");
    run = await trainShort("specs/demo.fer", join(tmp, "runs"), 2);
  }, 180_000);

  it("loads with tf.loadLayersModel and, fed as preprocess.json says, matches ferc predict", async () => {
    const out = join(tmp, "web");
    const r = await ferc(["export", run, "--to", "tfjs", "-o", out]);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, "preprocess.json"), "utf8")) as TfjsManifest;
    expect(manifest.classes).toEqual(CLASSES);
    expect(manifest.input.shape).toEqual([null, 48, 48, 1]);
    expect(manifest.preprocess.steps).toEqual([{ op: "standardize", mode: "per-image" }]);
    // The demo spec: whole images, no test-time averaging; the face crop rule for feeding photos.
    expect(manifest.version).toBe(2);
    expect(manifest.views).toEqual({ window: null, tta: "none", modelInput: [null, 48, 48, 1] });
    expect(manifest.face.margin).toBe(FACE_MARGIN);
    expect(manifest.face.detector.inputSize).toBe(416);
    const model = await tfl.loadLayersModel(dirHandler(out));
    const expected = await predictJson(run, faces.paths);
    for (let i = 0; i < faces.pixels.length; i++) {
      const x = tf.tensor4d(applyPreprocess(faces.pixels[i]!, manifest.preprocess), [1, 48, 48, 1]);
      const got = Array.from((model.predict(x) as tf.Tensor).dataSync());
      expect(maxAbsDiff(got, CLASSES.map((c) => expected[i]!.faces[0]!.probabilities[c]!))).toBeLessThan(1e-4);
    }
    model.dispose();
  });

  it("replaces an earlier export with --force, but refuses a directory that is not one", async () => {
    const out = join(tmp, "web");
    const again = await ferc(["export", run, "--to", "tfjs", "-o", out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/holds an earlier export; --force replaces it/);
    expect((await ferc(["export", run, "--to", "tfjs", "-o", out, "--force"])).code).toBe(0);
    const foreign = tempDir("foreign");
    writeFileSync(join(foreign, "notes.txt"), "mine");
    const r = await ferc(["export", run, "--to", "tfjs", "-o", foreign]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not a ferc tfjs export/);
    expect(readFileSync(join(foreign, "notes.txt"), "utf8")).toBe("mine");
  });
});
