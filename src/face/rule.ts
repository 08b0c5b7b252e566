/**
 * The face crop rule in words and numbers, for the exports (the ONNX metadata, the tfjs
 * manifest) and anyone feeding an exported model from their own code. Derived from the
 * constants the code uses, so it cannot drift from what predict and serve do.
 */
import { DETECTOR_INPUT, SCORE_THRESHOLD } from "./detector.js";
import { FACE_MARGIN } from "./region.js";

export interface FaceCropRule {
  readonly detector: { readonly model: string; readonly inputSize: number; readonly scoreThreshold: number };
  /** The face region's side over the detector box's larger side, minus one. */
  readonly margin: number;
  readonly grey: string;
  readonly resize: string;
  readonly text: string;
}

const DETECTOR = "tiny face detector of @vladmandic/face-api (model/tiny_face_detector_model-weights_manifest.json + .bin)";
const GREY = "round(0.299 R + 0.587 G + 0.114 B)";
const RESIZE = "area average when shrinking, bilinear with half-pixel centres when growing, rounded to 0..255";

export const FACE_RULE: string =
  `faces found by the ${DETECTOR} at input ${DETECTOR_INPUT}, score > ${SCORE_THRESHOLD}; each face: a region of the model input's aspect (square for 48x48) ` +
  `centred on the detector's box, ${1 + FACE_MARGIN} x its larger side, rounded to whole pixels, moved inside the image (shrunk only when the image is smaller); ` +
  `without detection (or an image already at the input size) the largest centred region; grey = ${GREY}; resize to the input: ${RESIZE}`;

export const FACE_CROP_RULE: FaceCropRule = {
  detector: { model: DETECTOR, inputSize: DETECTOR_INPUT, scoreThreshold: SCORE_THRESHOLD },
  margin: FACE_MARGIN,
  grey: GREY,
  resize: RESIZE,
  text: FACE_RULE,
};
