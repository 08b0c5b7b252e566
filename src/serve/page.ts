/** The HTML of the `ferc serve` page: drop zone, webcam, the photo with face boxes, the input, bars, and the report. */
import { esc } from "../report/html.js";

/** tfjs bundles in load order (each UMD bundle extends the global `tf` of tf-core). */
export const VENDOR_SCRIPTS = ["tf-core.js", "tf-backend-cpu.js", "tf-backend-wasm.js", "tf-layers.js"] as const;

export function servePage(runId: string, spec: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ferc serve — ${esc(runId)}</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111827; margin: 24px; background: #fafafa; }
h1 { font-size: 22px; margin: 0 0 2px; }
.muted { color: #6b7280; }
.row { display: flex; gap: 24px; flex-wrap: wrap; align-items: flex-start; margin-top: 14px; }
.card { background: #fff; border: 1px solid #e5e7eb; border-radius: 8px; padding: 14px 18px; }
#drop { width: 240px; height: 190px; border: 2px dashed #9ca3af; border-radius: 8px; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 8px; text-align: center; padding: 0 6px; }
#drop.over { border-color: #2563eb; background: #eff6ff; }
#drop input[type=file] { max-width: 220px; }
canvas#photo { display: block; max-width: 420px; max-height: 420px; background: #f3f4f6; border-radius: 4px; }
canvas#input48 { width: 144px; height: 144px; image-rendering: pixelated; border: 1px solid #d1d5db; background: #f3f4f6; }
#bars { width: 320px; }
.bar { display: grid; grid-template-columns: 72px 1fr 52px; gap: 8px; align-items: center; margin: 5px 0; }
.bar .track { background: #f3f4f6; border-radius: 4px; height: 16px; overflow: hidden; display: block; }
.bar .fill { background: #60a5fa; height: 100%; display: block; }
.bar.top .fill { background: #2563eb; }
.bar.top .name { font-weight: 600; }
.bar .pct { text-align: right; font-variant-numeric: tabular-nums; }
#top { font-size: 20px; font-weight: 600; }
#faces { margin-top: 6px; }
#status.error { color: #b91c1c; }
#fps { font-variant-numeric: tabular-nums; }
iframe { width: 100%; height: 1400px; border: 1px solid #e5e7eb; border-radius: 8px; background: #fff; margin-top: 16px; }
</style>
</head>
<body>
<h1>${esc(spec)} <span class="muted">· run <span id="runid">${esc(runId)}</span></span></h1>
<p class="muted">Runs in this browser with TensorFlow.js (backend: <span id="backend">loading…</span>); nothing leaves the page. <span id="status">loading the model…</span> <span id="fps"></span></p>
<div class="row">
  <div class="card">
    <div id="drop">
      <div>Drop a photo here</div>
      <input type="file" id="file" accept="image/png,image/jpeg,image/webp,image/bmp,image/gif">
      <div><button id="webcam" type="button">Start webcam</button></div>
      <label><input type="checkbox" id="detect" checked> find faces</label>
    </div>
    <p class="muted" style="max-width:240px">Each face found gets a box (the square the model saw) and its emotion; click a box to show its probabilities. Without “find faces” the photo's centre square is taken as the face.</p>
  </div>
  <div class="card">
    <div class="muted">photo · <span id="facecount">no photo yet</span></div>
    <canvas id="photo" width="320" height="240"></canvas>
  </div>
  <div class="card" style="max-width:340px">
    <div class="muted">what the model sees</div>
    <canvas id="input48" width="144" height="144"></canvas>
    <div class="muted" id="inputsize"></div>
    <div class="muted" style="margin-top:10px">emotion probabilities</div>
    <div id="top">—</div>
    <div id="bars"></div>
  </div>
</div>
<iframe id="report" src="/report.html" title="run report"></iframe>
${VENDOR_SCRIPTS.map((s) => `<script src="/vendor/${s}"></script>`).join("\n")}
<script type="module" src="/app.js"></script>
</body>
</html>
`;
}
