/**
 * The HTML report's gallery of the most confident mistakes (`ferc report --html --mistakes`): per
 * confused pair, the faces the model was surest about and wrong, each a small PNG inline (the page
 * stays self-contained). The page then holds the data set's faces: the gallery says so.
 */
import type { Mistakes } from "../run/mistakes.js";
import { Canvas } from "../image/raster.js";

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A face (first channel) as a PNG data URI, `scale` pixels per pixel. */
function faceUri(pixels: Uint8Array, h: number, w: number, c: number, scale = 2): string {
  const grey = c === 1 ? pixels : pixels.filter((_, k) => k % c === 0);
  const cv = new Canvas(w * scale, h * scale);
  cv.grey(0, 0, grey, w, h, scale);
  return `data:image/png;base64,${cv.png().toString("base64")}`;
}

export function mistakesHtml(m: Mistakes): string {
  const [h, w, c] = m.input;
  const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
  const pairs = m.pairs.map((p) => {
    const faces = p.examples.map((x) => `<figure><img alt="test image ${x.index}" src="${faceUri(x.pixels, h, w, c)}"><figcaption>${pct(x.confidence)} · #${x.index}</figcaption></figure>`);
    return `<h4>true ${esc(p.trueClass)} → predicted ${esc(p.predicted)}: ${p.count.toLocaleString("en-US")} images</h4><div class="faces">${faces.join("")}</div>`;
  });
  return `<h3>Most confident mistakes (test, ${m.wrong.toLocaleString("en-US")} of ${m.n.toLocaleString("en-US")} wrong)</h3>
<p class="muted">The most frequent confusions, each with the faces the model was surest about (its probability for the wrong class; #index in the test split), without test-time augmentation. These are the data set's own faces: keep this page local.</p>
${pairs.join("\n")}`;
}
