/**
 * `ferc predict` on real photographs (test/photos/, public domain / CC0) with the best committed
 * record, as a user runs it: the face found and cut, one row per face with its box, no face is
 * a clear message with exit 1, --no-detect, --save-input (what the model saw, which gives the
 * same answer when fed back), and two faces in one photo.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { ferc } from "./helpers.js";
import { CLASSES, maxAbsDiff, predictJson, tempDir } from "../export/helpers.js";

const RUN = fileURLToPath(new URL("../../runs/vgg-wide-20261201-105427", import.meta.url));
const ASTRONAUT = fileURLToPath(new URL("../photos/astronaut.png", import.meta.url));
const COFFEE = fileURLToPath(new URL("../photos/coffee.png", import.meta.url));
const present = existsSync(join(RUN, "checkpoints"));
if (!present) console.warn(`predict on photos skipped: ${RUN} has no checkpoints`);

describe.skipIf(!present)("ferc predict on photographs (runs/vgg-wide-20261201-105427)", () => {
  it("astronaut.png: one face, happy; the row names its box", async () => {
    const r = await ferc(["predict", RUN, ASTRONAUT], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/astronaut\.png: 1 face \(320x320\)\n {2}face 1: happy, box x=\d+ y=\d+ \d+x\d+, detector score 0\.9\d\d\n {4}happy +\d+\.\d%/);
  }, 120_000);

  it("--json: the box (a square around her face), the detector's box, probabilities; --save-input writes what the model saw", async () => {
    const dir = tempDir("seen");
    const [p] = await predictJson(RUN, [ASTRONAUT], ["--save-input", dir]);
    expect(p!.detected).toBe(true);
    expect(p!.faces).toHaveLength(1);
    const f = p!.faces[0]!;
    expect(f.top).toBe("happy");
    expect(f.probabilities["happy"]).toBeGreaterThan(0.8);
    expect(f.box.width).toBe(f.box.height);
    const d = f.detection!.box;
    expect(f.box.x).toBeLessThanOrEqual(d.x);
    expect(f.box.y).toBeLessThanOrEqual(d.y);
    expect(f.box.x + f.box.width).toBeGreaterThanOrEqual(d.x + d.width);
    expect(f.box.y + f.box.height).toBeGreaterThanOrEqual(d.y + d.height);
    // The saved input: a 48x48 grey PNG; predict takes it whole (it is the input size) and agrees.
    expect(f.input).toBe(join(dir, "astronaut-face1.png"));
    const png = PNG.sync.read(readFileSync(f.input!));
    expect([png.width, png.height]).toEqual([48, 48]);
    const [again] = await predictJson(RUN, [f.input!]);
    expect(again!.detected).toBe(false);
    expect(maxAbsDiff(CLASSES.map((c) => again!.faces[0]!.probabilities[c]!), CLASSES.map((c) => f.probabilities[c]!))).toBe(0);
  }, 120_000);

  it("coffee.png: no face found is said, exit 1; --no-detect takes the centre square", async () => {
    const r = await ferc(["predict", RUN, COFFEE], { timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(`ferc predict: ${COFFEE}: no face found (240x160; tiny face detector, score > 0.5); --no-detect takes the whole image as a face crop\n`);
    const [p] = await predictJson(RUN, [COFFEE], ["--no-detect"]);
    expect(p!.detected).toBe(false);
    expect(p!.faces.map((f) => f.box)).toEqual([{ x: 40, y: 0, width: 160, height: 160 }]);
  }, 120_000);

  it("two faces in one photo: a row each, left to right; a faceless photo among others still exits 1", async () => {
    const img = PNG.sync.read(readFileSync(ASTRONAUT));
    const two = new PNG({ width: img.width * 2, height: img.height });
    for (let y = 0; y < img.height; y++) {
      for (let x = 0; x < img.width; x++) {
        const s = 4 * (y * img.width + x);
        img.data.copy(two.data, 4 * (y * two.width + x), s, s + 4);
        img.data.copy(two.data, 4 * (y * two.width + two.width - 1 - x), s, s + 4);
      }
    }
    const file = join(tempDir("two"), "two.png");
    writeFileSync(file, PNG.sync.write(two));
    const r = await ferc(["predict", RUN, file, COFFEE, "--json"], { timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("coffee.png: no face found");
    const [p, q] = JSON.parse(r.stdout) as Awaited<ReturnType<typeof predictJson>>;
    expect(p!.faces).toHaveLength(2);
    expect(p!.faces[0]!.box.x).toBeLessThan(p!.faces[1]!.box.x);
    expect(p!.faces.map((f) => f.top)).toEqual(["happy", "happy"]);
    expect(q!.faces).toEqual([]);
  }, 120_000);
});
