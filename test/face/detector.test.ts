/**
 * ferc's tiny face detector (src/face/detector.ts) against the original: `@vladmandic/face-api`'s
 * own Node build (a dev dependency with its peer `@tensorflow/tfjs`), both on tfjs's wasm backend,
 * on the committed photographs (test/photos/README.md): the same boxes and scores, the face in
 * the right place, none in a photo without one, two faces in a photo with two.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeImage, type RgbaImage } from "../../src/data/image.js";
import { selectBackend } from "../../src/backend/select.js";
import { detectFaces, type DetectedFace, type TinyFaceDetector } from "../../src/face/detector.js";
import { DETECTOR_FILES, detectorFile, openDetector } from "../../src/predict/detector.js";

const photo = (name: string): RgbaImage => decodeImage(readFileSync(fileURLToPath(new URL(`../photos/${name}`, import.meta.url))));

/** The same photo twice, the second mirrored, side by side: two faces. */
function twoFaces(img: RgbaImage): RgbaImage {
  const w = img.width * 2, data = new Uint8Array(w * img.height * 4);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const s = 4 * (y * img.width + x);
      data.set(img.data.subarray(s, s + 4), 4 * (y * w + x));
      data.set(img.data.subarray(s, s + 4), 4 * (y * w + (w - 1 - x)));
    }
  }
  return { width: w, height: img.height, data };
}

interface FaceApiDetection {
  readonly score: number;
  readonly box: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
}
interface FaceApi {
  readonly nets: { readonly tinyFaceDetector: { loadFromDisk(dir: string): Promise<void> } };
  readonly TinyFaceDetectorOptions: new () => object;
  detectAllFaces(input: tf.Tensor3D, options: object): Promise<FaceApiDetection[]>;
}

let faceapi: FaceApi;
let ours: TinyFaceDetector;

beforeAll(async () => {
  tf.env().set("PROD", true);
  await selectBackend("wasm");
  ours = await openDetector(tf);
  faceapi = createRequire(import.meta.url)("@vladmandic/face-api/dist/face-api.node-wasm.js") as FaceApi;
  await faceapi.nets.tinyFaceDetector.loadFromDisk(dirname(detectorFile(DETECTOR_FILES.manifest)));
}, 60_000);

async function theirs(img: RgbaImage): Promise<DetectedFace[]> {
  const rgb = new Float32Array(img.width * img.height * 3);
  for (let i = 0; i < img.width * img.height; i++) for (let k = 0; k < 3; k++) rgb[3 * i + k] = img.data[4 * i + k]!;
  const x = tf.tensor3d(rgb, [img.height, img.width, 3]);
  try {
    const found = await faceapi.detectAllFaces(x, new faceapi.TinyFaceDetectorOptions());
    return found.map((d) => ({ score: d.score, box: { x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height } }));
  } finally {
    x.dispose();
  }
}

function expectSame(a: DetectedFace[], b: DetectedFace[]): void {
  const byX = (f: DetectedFace[]) => [...f].sort((p, q) => p.box.x - q.box.x);
  expect(a).toHaveLength(b.length);
  byX(a).forEach((f, i) => {
    const g = byX(b)[i]!;
    expect(Math.abs(f.score - g.score)).toBeLessThan(1e-5);
    for (const k of ["x", "y", "width", "height"] as const) expect(Math.abs(f.box[k] - g.box[k])).toBeLessThan(1e-3);
  });
}

describe("the tiny face detector on ferc's tfjs", () => {
  it("astronaut.png: one face, where face-api finds it, around her eyes and mouth", async () => {
    const img = photo("astronaut.png");
    const found = await detectFaces(tf, ours, img);
    expectSame(found, await theirs(img));
    expect(found).toHaveLength(1);
    const { box, score } = found[0]!;
    expect(score).toBeGreaterThan(0.9);
    // Her face (eyes at y ~ 72, mouth at y ~ 98, between x ~ 115 and 160 in this 320x320 photo).
    expect(box.x).toBeLessThan(115);
    expect(box.x + box.width).toBeGreaterThan(160);
    expect(box.y).toBeLessThan(72);
    expect(box.y + box.height).toBeGreaterThan(98);
    expect(box.width).toBeLessThan(110);
  }, 60_000);

  it("coffee.png: no face", async () => {
    const img = photo("coffee.png");
    expect(await detectFaces(tf, ours, img)).toEqual([]);
    expect(await theirs(img)).toEqual([]);
  }, 60_000);

  it("two faces side by side (the astronaut and her mirror image): two boxes, mirrored", async () => {
    const img = twoFaces(photo("astronaut.png"));
    const found = await detectFaces(tf, ours, img);
    expectSame(found, await theirs(img));
    expect(found).toHaveLength(2);
    const [left, right] = [...found].sort((p, q) => p.box.x - q.box.x);
    // Mirror images, up to the detector's grid (13x13 cells over the padded 640x640 square).
    expect(Math.abs(right!.box.x - (img.width - left!.box.x - left!.box.width))).toBeLessThan(12);
    expect(Math.abs(right!.box.y - left!.box.y)).toBeLessThan(12);
  }, 60_000);
});
