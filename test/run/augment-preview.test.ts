/** `ferc show --augment`: the faces, and draws that are exactly what the trainer's batches hold. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import { augmentPreview, pickFaces } from "../../src/run/augmentPreview.js";
import { ferc, TINY_SPEC } from "../cli/helpers.js";

const specWith = (augment: string) => checkSource(TINY_SPEC.replace("preprocess {", `augment { ${augment} }\npreprocess {`)).spec!;

describe("pickFaces", () => {
  it("takes the first face of each class in turn", () => {
    expect(pickFaces(Uint8Array.from([2, 2, 0, 1, 0, 2]), 3, 3)).toEqual([2, 3, 0]);
    expect(pickFaces(Uint8Array.from([2, 2, 0, 1, 0, 2]), 3, 5)).toEqual([2, 3, 0, 4, 1]);
    expect(pickFaces(Uint8Array.from([1, 1]), 3, 7)).toEqual([0, 1]);
  });
});

describe("augmentPreview", () => {
  it("with flip only, each draw of each face is the face or its mirror, and both occur", async () => {
    const spec = specWith("flip horizontal");
    const p = await augmentPreview(spec, { draws: 6 });
    expect(p.faces.map((f) => f.label)).toEqual(spec.dataset.classes);
    const size = 48 * 48;
    let same = 0, mirrored = 0;
    for (const d of p.draws) {
      for (let i = 0; i < p.faces.length; i++) {
        const face = p.original.subarray(i * size, (i + 1) * size);
        const drawn = d.subarray(i * size, (i + 1) * size);
        const mirror = face.map((_, k) => face[Math.floor(k / 48) * 48 + (47 - (k % 48))]!);
        const isSame = drawn.every((v, k) => Math.abs(v - face[k]!) < 1e-5);
        const isMirror = drawn.every((v, k) => Math.abs(v - mirror[k]!) < 1e-5);
        expect(isSame || isMirror).toBe(true);
        if (isSame) same++;
        else mirrored++;
      }
    }
    expect(same).toBeGreaterThan(0);
    expect(mirrored).toBeGreaterThan(0);
    const png = PNG.sync.read(p.png);
    expect([png.width, png.height]).toEqual([p.width, p.height]);
  });

  it("with random-crop the draws are the model's windows; a seed repeats them, another seed does not", async () => {
    const spec = specWith("rotate 20deg; random-crop 40x40");
    const a = await augmentPreview(spec, { draws: 2, rows: 3, seed: 5 });
    const b = await augmentPreview(spec, { draws: 2, rows: 3, seed: 5 });
    const c = await augmentPreview(spec, { draws: 2, rows: 3, seed: 6 });
    expect(a.draws[0]).toHaveLength(3 * 40 * 40);
    expect(a.png.equals(b.png)).toBe(true);
    expect(a.png.equals(c.png)).toBe(false);
  });
});

describe("ferc show --augment", () => {
  it("writes the grid and says what it holds; a spec without augment is a usage error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ferc-show-aug-"));
    writeFileSync(join(dir, "aug.fer"), TINY_SPEC.replace("preprocess {", "augment { rotate 15deg; erase 0.5 }\npreprocess {"));
    writeFileSync(join(dir, "plain.fer"), TINY_SPEC);
    const r = await ferc(["show", "--augment", "aug.fer", "-o", "grid.png", "--draws", "4"], { cwd: dir });
    expect(r.code).toBe(0);
    const m = /^grid\.png \((\d+)x(\d+): 7 training faces, 4 augmented draws each\)$/m.exec(r.stdout);
    expect(m).not.toBeNull();
    const png = PNG.sync.read(readFileSync(join(dir, "grid.png")));
    expect([png.width, png.height]).toEqual([Number(m![1]), Number(m![2])]);
    // Synthetic faces are not a data set's: no warning about keeping them local.
    expect(r.stdout).not.toContain("keep it local");
    const none = await ferc(["show", "--augment", "plain.fer"], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("plain.fer has no augment section to show");
  });
});
