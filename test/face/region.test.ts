/**
 * The crop rule and the resize of src/face: which pixels of a photo become the model's input,
 * and how they are shrunk (area average, no aliasing) or grown (bilinear).
 */
import { describe, expect, it } from "vitest";
import { axisTaps, resizeArea } from "../../src/face/resample.js";
import { centreRegion, faceRegion, FACE_MARGIN, regionInput } from "../../src/face/region.js";
import { rgbaToChannels } from "../../src/face/pixels.js";
import { resizeBilinear } from "../../src/data/image.js";

const rgba = (w: number, h: number, f: (x: number, y: number) => [number, number, number]) => {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([...f(x, y), 255], 4 * (y * w + x));
  return { width: w, height: h, data };
};

describe("resizeArea", () => {
  it("shrinking by a whole factor averages each block", () => {
    const src = Uint8Array.from([0, 10, 100, 110, 20, 30, 120, 130, 200, 210, 50, 52, 220, 230, 54, 56]);
    expect(Array.from(resizeArea(src, 4, 4, 1, 2, 2))).toEqual([15, 115, 215, 53]);
  });

  it("fine detail shrinks to its mean brightness (point sampling misses it: aliasing)", () => {
    // A dot in every 3x3 block of a 144x144 image, shrunk to 48x48.
    const n = 144, src = new Uint8Array(n * n);
    for (let y = 0; y < n; y += 3) for (let x = 0; x < n; x += 3) src[y * n + x] = 255;
    expect(new Set(resizeArea(src, n, n, 1, 48, 48))).toEqual(new Set([Math.round(255 / 9)]));
    // The bilinear resize samples the blocks' centres and loses the dots altogether.
    expect(new Set(resizeBilinear(src, n, n, 1, 48, 48))).toEqual(new Set([0]));
  });

  it("fractional factors weight partly covered pixels by the covered part; every output's weights sum to 1", () => {
    const taps = axisTaps(5, 2);
    expect(taps[0]).toEqual({ index: [0, 1, 2], weight: [0.4, 0.4, 0.2] });
    expect(taps[1]).toEqual({ index: [2, 3, 4], weight: [0.2, 0.4, 0.4] });
    for (const [s, d] of [[512, 48], [139, 48], [48, 139], [7, 7], [1, 3]] as const) {
      for (const t of axisTaps(s, d)) expect(t.weight.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it("growing interpolates with half-pixel centres (edges clamped), as the bilinear resize does", () => {
    const src = Uint8Array.from([0, 100, 200, 40]);
    expect(Array.from(resizeArea(src, 2, 2, 1, 4, 4))).toEqual(Array.from(resizeBilinear(src, 2, 2, 1, 4, 4)));
  });

  it("the same size is the identity; channels stay apart", () => {
    const src = Uint8Array.from({ length: 5 * 3 * 3 }, (_, i) => (i * 37) % 256);
    expect(resizeArea(src, 5, 3, 3, 5, 3)).toEqual(src);
    const rgb = Uint8Array.from([255, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255]);
    expect(Array.from(resizeArea(rgb, 2, 2, 3, 1, 1))).toEqual([128, 0, 128]);
  });
});

describe("the crop rule", () => {
  it("a detected face: a square centred on the box, (1 + margin) x its larger side, whole pixels", () => {
    const r = faceRegion({ x: 101.1, y: 46.6, width: 72.8, height: 68.8 }, 320, 320, [48, 48, 1]);
    const side = Math.round(72.8 * (1 + FACE_MARGIN));
    expect(r).toEqual({ x: Math.round(101.1 + 36.4 - side / 2), y: Math.round(46.6 + 34.4 - side / 2), width: side, height: side });
  });

  it("moved inside the image at an edge, shrunk only when the image is smaller", () => {
    expect(faceRegion({ x: -10, y: 5, width: 40, height: 40 }, 200, 100, [48, 48, 1])).toEqual({ x: 0, y: 1, width: 48, height: 48 });
    expect(faceRegion({ x: 170, y: 70, width: 40, height: 40 }, 200, 100, [48, 48, 1])).toEqual({ x: 152, y: 52, width: 48, height: 48 });
    expect(faceRegion({ x: 0, y: 0, width: 90, height: 95 }, 200, 100, [48, 48, 1])).toEqual({ x: 0, y: 0, width: 100, height: 100 });
  });

  it("a non-square input gets a region of its aspect", () => {
    const r = faceRegion({ x: 50, y: 50, width: 40, height: 40 }, 400, 400, [48, 24, 1]);
    expect(r.height).toBe(2 * r.width);
  });

  it("no detection: the largest centred region of the input's aspect (the whole image when it matches)", () => {
    expect(centreRegion(48, 48, [48, 48, 1])).toEqual({ x: 0, y: 0, width: 48, height: 48 });
    expect(centreRegion(200, 180, [48, 48, 1])).toEqual({ x: 10, y: 0, width: 180, height: 180 });
    expect(centreRegion(181, 200, [48, 48, 1])).toEqual({ x: 0, y: 9, width: 181, height: 181 });
  });

  it("regionInput: ITU-R 601 grey of the region's pixels, area-averaged to the input", () => {
    // Left half red, right half blue: the region is the right 4x4 block, all blue.
    const img = rgba(8, 4, (x) => (x < 4 ? [255, 0, 0] : [0, 0, 255]));
    expect(Array.from(regionInput(img, { x: 4, y: 0, width: 4, height: 4 }, [2, 2, 1]))).toEqual([29, 29, 29, 29]);
    expect(Array.from(rgbaToChannels(img, 1, { x: 3, y: 0, width: 2, height: 1 }))).toEqual([76, 29]);
    expect(() => rgbaToChannels(img, 1, { x: 6, y: 0, width: 4, height: 4 })).toThrow(/not inside the 8x4 image/);
    // A region already at the input size is taken as it is.
    const same = rgba(48, 48, (x, y) => [x * 5, y * 5, 7]);
    expect(regionInput(same, { x: 0, y: 0, width: 48, height: 48 }, [48, 48, 1])).toEqual(rgbaToChannels(same, 1));
  });
});
