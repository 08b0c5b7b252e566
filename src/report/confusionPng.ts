/**
 * The confusion matrix as a PNG (TensorBoard's image summaries are PNG, not SVG): rows the true
 * class, columns the predicted one, each cell shaded by its share of the row (the diagonal is
 * recall) and labelled with its count, like confusion.svg.
 */
import type { EvalResult } from "../train/events.js";
import { BLACK, Canvas, clip, GREY, WHITE, type Rgb } from "../image/raster.js";

/** White → dark blue by share, as the SVG heatmap (src/report/svg.ts). */
function heat(share: number): Rgb {
  const t = Math.max(0, Math.min(1, share));
  return [Math.round(255 - t * 247), Math.round(255 - t * 186), Math.round(255 - t * 107)];
}

export interface ConfusionPng {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
}

export function confusionPng(r: EvalResult): ConfusionPng {
  const k = r.classes.length;
  const cell = 72;
  const label = 2; // text scale: 12 px per character
  const left = 16 + Math.min(10, Math.max(...r.classes.map((c) => c.length))) * 12;
  const top = 84;
  const width = left + k * cell + 16;
  const height = top + k * cell + 40;
  const cv = new Canvas(width, height);
  cv.textCentred(0, width, 10, clip(`confusion matrix (${r.split}, n=${r.n})`, Math.floor(width / 12)), BLACK, label);
  cv.textCentred(left, k * cell, 34, "predicted", GREY, label);
  r.classes.forEach((c, j) => cv.textCentred(left + j * cell, cell, 60, clip(c, 5), BLACK, label));
  r.confusion.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    cv.text(8, top + i * cell + cell / 2 - 8, clip(r.classes[i] ?? String(i), 10), BLACK, label);
    row.forEach((v, j) => {
      const share = total > 0 ? v / total : 0;
      const x = left + j * cell, y = top + i * cell;
      cv.fillRect(x, y, cell, cell, heat(share));
      cv.strokeRect(x, y, cell, cell, [229, 231, 235]);
      cv.textCentred(x, cell, y + cell / 2 - 8, String(v), share > 0.55 ? WHITE : BLACK, label);
    });
  });
  cv.textCentred(left, k * cell, top + k * cell + 12, "rows: true class", GREY, label);
  return { png: cv.png(), width, height };
}
