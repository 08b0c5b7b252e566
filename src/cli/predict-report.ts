/** The text `ferc predict` prints for one image: a line per face (its box), then its bars. */
import type { PredictedImage } from "../predict/index.js";
import type { InputShape } from "../face/region.js";

const bar = (p: number): string => "█".repeat(Math.round(p * 30));
const pct = (p: number): string => `${(p * 100).toFixed(1).padStart(5)}%`;

export function renderPrediction(r: PredictedImage, input: InputShape): string {
  const lines: string[] = [];
  const [h, w] = input;
  if (!r.detected) {
    const f = r.faces[0]!;
    const whole = f.box.width === r.width && f.box.height === r.height;
    lines.push(`${r.image}: ${f.top} (taken as a face crop: ${whole ? "the whole image" : `its centre ${f.box.width}x${f.box.height}`} → ${w}x${h})`);
  } else {
    lines.push(`${r.image}: ${r.faces.length} face${r.faces.length > 1 ? "s" : ""} (${r.width}x${r.height})`);
  }
  r.faces.forEach((f, i) => {
    const indent = r.detected ? "    " : "  ";
    if (r.detected) {
      const b = f.box;
      lines.push(`  face ${i + 1}: ${f.top}, box x=${b.x} y=${b.y} ${b.width}x${b.height}, detector score ${f.detection!.score.toFixed(3)}`);
    }
    if (f.input !== undefined) lines.push(`${indent}input saved: ${f.input}`);
    const sorted = Object.entries(f.probabilities).sort((a, b) => b[1] - a[1]);
    for (const [k, p] of sorted) lines.push(`${indent}${k.padEnd(10)} ${pct(p)}  ${bar(p)}`);
  });
  return `${lines.join("\n")}\n`;
}
