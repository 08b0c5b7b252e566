import { describe, expect, it } from "vitest";
import { applyPreprocess, fitPreprocess, type Split } from "../../src/data/index.js";

const split = (images: number[][], channels = 1): Split => ({
  n: images.length, height: 2, width: 2 / channels === 2 ? 2 : 1, channels, pixels: Uint8Array.from(images.flat()), labels: new Uint8Array(images.length),
});
const close = (a: ArrayLike<number>, b: number[]): void => {
  expect(a.length).toBe(b.length);
  b.forEach((v, i) => expect(a[i]).toBeCloseTo(v, 5));
};

describe("preprocessing", () => {
  const train = split([[0, 51, 102, 255], [255, 255, 0, 0]]);

  it("scale divides by 255", () => {
    const st = fitPreprocess(train, { steps: [{ op: "scale" }] });
    close(applyPreprocess(Uint8Array.from([0, 51, 255, 102]), st), [0, 0.2, 1, 0.4]);
  });

  it("per-image standardisation gives mean 0, std 1; blank images map to 0", () => {
    // 8x8 images so the 1/sqrt(N) std floor (0.125) is below the real std.
    const big: Split = { n: 1, height: 8, width: 8, channels: 1, pixels: Uint8Array.from({ length: 64 }, (_, i) => (i * 37) % 256), labels: new Uint8Array(1) };
    const st = fitPreprocess(big, { steps: [{ op: "scale" }, { op: "standardize", mode: "per-image" }] });
    const out = applyPreprocess(Uint8Array.from([...big.pixels, ...Array(64).fill(9)]), st);
    const img = Array.from(out.subarray(0, 64));
    const mean = img.reduce((a, b) => a + b) / 64;
    const std = Math.sqrt(img.reduce((a, b) => a + (b - mean) ** 2, 0) / 64);
    expect(mean).toBeCloseTo(0, 5);
    expect(std).toBeCloseTo(1, 5);
    close(out.subarray(64), Array(64).fill(0));
  });

  it("dataset standardisation uses train statistics only, after earlier steps, and serialises", () => {
    const st = fitPreprocess(train, { steps: [{ op: "scale" }, { op: "standardize", mode: "dataset" }] });
    const vals = [0, 51, 102, 255, 255, 255, 0, 0].map((v) => v / 255);
    const mean = vals.reduce((a, b) => a + b) / vals.length;
    const std = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length);
    expect(st.fitted[0]).toBeNull();
    expect(st.fitted[1]!.mean[0]).toBeCloseTo(mean, 6);
    expect(st.fitted[1]!.std[0]).toBeCloseTo(std, 6);
    const reloaded = JSON.parse(JSON.stringify(st)) as typeof st;
    const test = Uint8Array.from([10, 20, 30, 40]);
    close(applyPreprocess(test, reloaded), [10, 20, 30, 40].map((v) => (v / 255 - mean) / std));
    // Train data itself becomes mean 0, std 1.
    const t = applyPreprocess(train.pixels, st);
    const m = t.reduce((a, b) => a + b) / t.length;
    expect(m).toBeCloseTo(0, 5);
  });

  it("dataset statistics are per channel for RGB input", () => {
    const rgb: Split = { n: 1, height: 1, width: 2, channels: 3, pixels: Uint8Array.from([0, 100, 50, 10, 200, 50]), labels: new Uint8Array(1) };
    const st = fitPreprocess(rgb, { steps: [{ op: "standardize", mode: "dataset" }] });
    expect(st.fitted[0]!.mean).toEqual([5, 150, 50]);
    expect(st.fitted[0]!.std[0]).toBeCloseTo(5);
    expect(st.fitted[0]!.std[2]).toBeCloseTo(1e-6); // floored, not zero
    close(applyPreprocess(rgb.pixels, st), [-1, -1, 0, 1, 1, 0]);
  });

  it("rejects a buffer that is not whole images", () => {
    const st = fitPreprocess(train, { steps: [{ op: "scale" }] });
    expect(() => applyPreprocess(new Uint8Array(5), st)).toThrow(/whole number/);
  });
});
