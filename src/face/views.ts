/**
 * Test-time views: which windows of a preprocessed input a model looks at, and their mirrors.
 * One definition for `ferc eval`, `ferc predict` and the `ferc serve` page (which runs this file
 * with the page's own `tf`; hence `tf` is a parameter and this module imports nothing at run
 * time); the ONNX export writes the same views into its graph (src/export/onnxViews.ts).
 *
 * `flip` averages the softmax of each image and of its left-right mirror (faces are
 * near-symmetric and training flips them, so the two views disagree only where the model is
 * unsure); `ten-crop`, for a model trained on random windows (`random-crop HxW`), averages the
 * four corner windows and the centre one, each with its mirror. A model trained on windows sees
 * the centre window when no averaging is asked for.
 */
import type * as TF from "@tensorflow/tfjs-core";

export type Tta = "none" | "flip" | "ten-crop";

/** The model's window of the image (`augment { random-crop HxW }`); undefined: the whole image. */
export type Crop = readonly [number, number] | undefined;

/** Top-left corners of the windows a view set looks at: the centre, or the corners and the centre. */
export function cropOrigins(h: number, w: number, crop: readonly [number, number], tta: Tta): [number, number][] {
  const [ch, cw] = crop;
  const centre: [number, number] = [Math.floor((h - ch) / 2), Math.floor((w - cw) / 2)];
  if (tta !== "ten-crop") return [centre];
  return [[0, 0], [0, w - cw], [h - ch, 0], [h - ch, w - cw], centre];
}

/** The views of an NHWC batch whose class probabilities are averaged, in a fixed order. */
export function viewsOf(tf: typeof TF, xb: TF.Tensor4D, crop: Crop, tta: Tta): TF.Tensor4D[] {
  const [m, h, w, c] = xb.shape;
  const windows = crop ? cropOrigins(h, w, crop, tta).map(([t, l]) => tf.slice(xb, [0, t, l, 0], [m, crop[0], crop[1], c])) : [xb];
  return tta === "none" ? windows : windows.flatMap((v) => [v, tf.reverse(v, 2)]);
}

/** Class probabilities of a batch: `model` on each view, averaged. Call inside `tf.tidy`. */
export function predictViews(tf: typeof TF, model: (x: TF.Tensor4D) => TF.Tensor, xb: TF.Tensor4D, crop: Crop, tta: Tta): TF.Tensor {
  const probs = viewsOf(tf, xb, crop, tta).map(model);
  return probs.length === 1 ? probs[0]! : tf.div(tf.addN(probs), probs.length);
}
