/**
 * From a photo to the model inputs of the faces in it: detection (or not), the crop rule, the
 * resize. `ferc predict` and the `ferc serve` page (upload and webcam) both call `faceInputs`, so
 * they cut the same faces the same way. Browser-safe: `tf` is a parameter, no run-time imports
 * outside this folder.
 */
import type * as TF from "@tensorflow/tfjs-core";
import { detectFaces, type TinyFaceDetector } from "./detector.js";
import { centreRegion, faceRegion, regionInput, type Box, type InputShape, type RgbaPixels } from "./region.js";

export interface FaceInput {
  /** The part of the image the input was made from (integer pixels). */
  readonly region: Box;
  /** The detector's box and score; absent when the image was taken as a face crop. */
  readonly detection?: { readonly box: Box; readonly score: number };
  /** What the model is given: `input`-sized uint8 pixels, HWC. */
  readonly pixels: Uint8Array;
}

export interface FaceInputs {
  /** Whether a detector looked for faces (false: the image was taken as one face crop). */
  readonly detected: boolean;
  /** Left to right (then top to bottom); empty when detection found no face. */
  readonly faces: FaceInput[];
}

/**
 * The faces of `img` as model inputs. `detector` null (`--no-detect`), or an image exactly the
 * input's size (a FER2013-style crop: too small for a detector, and already what the model
 * wants): the image is one face, its largest centred region of the input's aspect.
 */
export async function faceInputs(tf: typeof TF, detector: TinyFaceDetector | null, img: RgbaPixels, input: InputShape): Promise<FaceInputs> {
  const [h, w] = input;
  if (detector === null || (img.width === w && img.height === h)) {
    const region = centreRegion(img.width, img.height, input);
    return { detected: false, faces: [{ region, pixels: regionInput(img, region, input) }] };
  }
  const found = await detectFaces(tf, detector, img);
  const faces = found
    .map((d) => {
      const region = faceRegion(d.box, img.width, img.height, input);
      return { region, detection: { box: d.box, score: d.score }, pixels: regionInput(img, region, input) };
    })
    .sort((a, b) => a.region.x - b.region.x || a.region.y - b.region.y);
  return { detected: true, faces };
}
