/**
 * Which part of a photo becomes the model's input, and how: the one crop rule of `ferc predict`,
 * `ferc serve` (upload and webcam) and the exports' manifest. Browser-safe: the page runs this
 * file. Integer pixel regions, so the rule gives the same bytes wherever it runs.
 *
 * - A detected face: a region of the model input's aspect (square for 48x48), centred on the
 *   detector's box, `FACE_MARGIN` larger than the box's larger side (FER2013's faces show the
 *   whole head down to the chin, a little more than a detector's box), moved inside the image
 *   when it would cross an edge, and shrunk only when the image is smaller than it.
 * - No detection (`--no-detect`, or an image already at the input size): the largest centred
 *   region of that aspect (the whole image when its aspect matches).
 * Then: grey (or RGB for 3-channel specs), area-averaged to the input size.
 */
import { rgbaToChannels, type Box, type RgbaPixels } from "./pixels.js";
import { resizeArea } from "./resample.js";

export type { Box, RgbaPixels } from "./pixels.js";

/** How much larger than the detector's box the face region is (its larger side, times 1 + this). */
export const FACE_MARGIN = 0.2;

/** The model's input: height, width, channels. */
export type InputShape = readonly [number, number, number];

/** The largest centred region with the aspect of a `h`x`w` input. */
export function centreRegion(imageW: number, imageH: number, input: InputShape): Box {
  const [h, w] = input;
  const scale = Math.min(imageW / w, imageH / h);
  const width = Math.min(imageW, Math.round(w * scale)), height = Math.min(imageH, Math.round(h * scale));
  return { x: Math.floor((imageW - width) / 2), y: Math.floor((imageH - height) / 2), width, height };
}

/** The region of the input's aspect around a detected face box (see the module comment). */
export function faceRegion(box: Box, imageW: number, imageH: number, input: InputShape, margin = FACE_MARGIN): Box {
  const [h, w] = input;
  const aspect = w / h;
  const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
  let height = Math.max(box.height, box.width / aspect) * (1 + margin);
  let width = height * aspect;
  const fit = Math.min(1, imageW / width, imageH / height);
  width = Math.max(1, Math.min(imageW, Math.round(width * fit)));
  height = Math.max(1, Math.min(imageH, Math.round(height * fit)));
  const x = Math.min(Math.max(Math.round(cx - width / 2), 0), imageW - width);
  const y = Math.min(Math.max(Math.round(cy - height / 2), 0), imageH - height);
  return { x, y, width, height };
}

/** The model input for `region` of `img`: its channels, area-averaged to the input size (uint8, HWC). */
export function regionInput(img: RgbaPixels, region: Box, input: InputShape): Uint8Array {
  const [h, w, c] = input;
  const px = rgbaToChannels(img, c, region);
  return region.width === w && region.height === h ? px : resizeArea(px, region.width, region.height, c, w, h);
}
