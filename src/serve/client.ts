/**
 * The browser side of `ferc serve`, as the text of one ES module (the page loads tfjs's own UMD
 * bundles first, which define the global `tf`). It does in the browser what `ferc predict` does
 * in Node, with the same code: it imports ferc's compiled browser-safe modules from the server
 * (`/lib/…`, see server.ts `LIB_MODULES`): the face detector, the crop rule and resize
 * (src/face/faces.ts), the run's preprocessing (src/data/preprocess.ts) and the test-time views
 * (src/face/views.ts); then the exported LayersModel, on tfjs's wasm backend (cpu when wasm
 * cannot start or lacks a kernel). The webcam runs the same steps on every frame it can.
 */
export const CLIENT_SCRIPT = String.raw`
import { faceInputs } from "/lib/face/faces.js";
import { loadTinyFaceDetector } from "/lib/face/detector.js";
import { predictViews } from "/lib/face/views.js";
import { applyPreprocess } from "/lib/data/preprocess.js";

const $ = (id) => document.getElementById(id);
const state = { model: null, members: [], manifest: null, detector: null, backend: "", live: null, shown: null, selected: 0, count: 0 };
const MAX_SIDE = 420, MIN_SIDE = 192;

function setStatus(text, isError) {
  const el = $("status");
  el.textContent = text;
  el.className = isError ? "error" : "";
}
const message = (err) => (err && err.message ? err.message : String(err));
const argmax = (p) => p.reduce((b, v, i) => (v > p[b] ? i : b), 0);

// A kernel the wasm backend lacks: the cpu backend has them all; retry there once.
async function onBackend(work) {
  try {
    return await work();
  } catch (err) {
    if (state.backend === "cpu") throw err;
    await tf.setBackend("cpu");
    state.backend = "cpu";
    $("backend").textContent = "cpu (wasm lacks a kernel: " + message(err) + ")";
    return await work();
  }
}

// ---- model: each member's preprocessing, window and test-time views (a run is one member),
// the members' probabilities summed then divided, as src/ensemble/predict.ts averages them
async function classify(inputs) {
  const m = state.manifest, shape = m.input.shape, n = inputs.length;
  const size = shape[1] * shape[2] * shape[3];
  const all = new Uint8Array(n * size);
  inputs.forEach((p, i) => all.set(p, i * size));
  const k = m.classes.length;
  const sum = new Float32Array(n * k);
  for (const member of state.members) {
    const mm = member.manifest;
    const x = applyPreprocess(all, mm.preprocess);
    const window = mm.views.window === null ? undefined : mm.views.window;
    const y = tf.tidy(() => predictViews(tf, (v) => member.model.predict(v), tf.tensor4d(x, [n, shape[1], shape[2], shape[3]]), window, mm.views.tta));
    const data = await y.data();
    y.dispose();
    for (let i = 0; i < sum.length; i++) sum[i] += data[i];
  }
  for (let i = 0; i < sum.length; i++) sum[i] /= state.members.length;
  return Array.from({ length: n }, (_, i) => Array.from(sum.subarray(i * k, (i + 1) * k)));
}

// ---- the model files: a run's export, or an ensemble's (preprocess.json lists the members' folders)
async function loadMembers(m) {
  if (m.format !== "ferc-tfjs-ensemble") return [{ manifest: m, model: await tf.loadLayersModel("/model/model.json") }];
  const out = [];
  for (const x of m.members) {
    const manifest = await (await fetch("/model/" + x.dir + "/preprocess.json")).json();
    out.push({ manifest, model: await tf.loadLayersModel("/model/" + x.dir + "/model.json") });
  }
  return out;
}

function viewsText(m) {
  const win = m.views.window;
  return (win ? "the model looks at " + (m.views.tta === "ten-crop" ? "its corner and centre " + win[0] + "x" + win[1] + " windows" : "its centre " + win[0] + "x" + win[1]) : "") +
    (m.views.tta !== "none" ? (win ? " and " : "averaged with ") + (win && m.views.tta === "ten-crop" ? "their mirrors" : "its mirror") : "");
}

// ---- a photo or a video frame (ImageData: width, height, RGBA) -> its faces, classified
async function analyse(img) {
  const m = state.manifest;
  const detector = $("detect").checked ? state.detector : null;
  return onBackend(async () => {
    const found = await faceInputs(tf, detector, img, m.input.shape.slice(1));
    const probs = found.faces.length > 0 ? await classify(found.faces.map((f) => f.pixels)) : [];
    const faces = found.faces.map((f, i) => ({
      box: f.region,
      score: f.detection ? f.detection.score : null,
      probabilities: probs[i],
      top: m.classes[argmax(probs[i])],
      input: f.pixels,
    }));
    return { width: img.width, height: img.height, detected: found.detected, faces };
  });
}

// ---- drawing
const pct = (p) => (p * 100).toFixed(1) + "%";

function drawPhoto(source, result) {
  const c = $("photo"), ctx = c.getContext("2d");
  // Large photos shrink to fit; small ones (a 48x48 face) grow to be seen, pixels kept sharp.
  const scale = Math.min(MAX_SIDE / result.width, MAX_SIDE / result.height, Math.max(1, MIN_SIDE / Math.max(result.width, result.height)));
  const w = Math.round(result.width * scale), h = Math.round(result.height * scale);
  if (c.width !== w || c.height !== h) { c.width = w; c.height = h; }
  ctx.imageSmoothingEnabled = scale < 1;
  ctx.drawImage(source, 0, 0, w, h);
  ctx.font = "600 14px system-ui, sans-serif";
  ctx.textBaseline = "top";
  result.faces.forEach((f, i) => {
    if (!result.detected) return;
    const x = f.box.x * scale, y = f.box.y * scale, bw = f.box.width * scale, bh = f.box.height * scale;
    const colour = i === state.selected ? "#2563eb" : "#f59e0b";
    ctx.lineWidth = i === state.selected ? 3 : 2;
    ctx.strokeStyle = colour;
    ctx.strokeRect(x, y, bw, bh);
    const label = f.top + " " + pct(f.probabilities[argmax(f.probabilities)]);
    const tw = ctx.measureText(label).width + 8, ty = y >= 20 ? y - 20 : y;
    ctx.fillStyle = colour;
    ctx.fillRect(x - 1, ty, tw, 20);
    ctx.fillStyle = "#fff";
    ctx.fillText(label, x + 3, ty + 3);
  });
}

function drawInput(px) {
  const shape = state.manifest.input.shape, H = shape[1], W = shape[2], C = shape[3];
  const c = $("input48"), ctx = c.getContext("2d");
  ctx.clearRect(0, 0, c.width, c.height);
  if (!px) return;
  const small = document.createElement("canvas");
  small.width = W; small.height = H;
  const id = small.getContext("2d").createImageData(W, H);
  for (let i = 0; i < W * H; i++) {
    for (let k = 0; k < 3; k++) id.data[4 * i + k] = px[i * C + (C === 1 ? 0 : k)];
    id.data[4 * i + 3] = 255;
  }
  small.getContext("2d").putImageData(id, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(small, 0, 0, c.width, c.height);
}

function showBars(probs) {
  const classes = state.manifest.classes;
  if (!probs) {
    $("bars").innerHTML = "";
    $("top").textContent = "no face";
    $("top").removeAttribute("data-probability");
    return;
  }
  const top = argmax(probs);
  let html = "";
  for (let i = 0; i < classes.length; i++) {
    const p = probs[i];
    html += '<div class="bar' + (i === top ? " top" : "") + '" data-class="' + classes[i] + '" data-probability="' + p + '">' +
      '<span class="name">' + classes[i] + '</span><span class="track"><span class="fill" style="width:' + (p * 100).toFixed(2) + '%"></span></span>' +
      '<span class="pct">' + pct(p) + "</span></div>";
  }
  $("bars").innerHTML = html;
  $("top").textContent = classes[top];
  $("top").setAttribute("data-probability", String(probs[top]));
}

// Show one result: the photo with its boxes, the selected face's input and bars; publish it for tests.
function show(source, result, name, image) {
  state.shown = { source, result, image, name };
  if (state.selected >= result.faces.length) state.selected = 0;
  drawPhoto(source, result);
  const f = result.faces[state.selected];
  drawInput(f ? f.input : null);
  showBars(f ? f.probabilities : null);
  const n = result.faces.length;
  $("facecount").textContent = !result.detected ? "taken whole as a face (" + result.width + "x" + result.height + ")"
    : n === 0 ? "no face found (" + result.width + "x" + result.height + ")"
    : n + " face" + (n > 1 ? "s" : "") + " (" + result.width + "x" + result.height + ")";
  window.fercResult = {
    top: f ? f.top : null,
    probabilities: f ? f.probabilities : null,
    input: f ? Array.from(f.input) : null,
    classes: state.manifest.classes,
    backend: state.backend,
    detected: result.detected,
    width: result.width,
    height: result.height,
    faces: result.faces.map((g) => ({ box: g.box, score: g.score, top: g.top, probabilities: g.probabilities })),
  };
  document.body.setAttribute("data-predicted", String(++state.count));
  if (name !== undefined) setStatus(n === 0 ? "no face found in " + name + ": untick “find faces” to take the whole photo" : name + ": " + (f ? f.top : ""), false);
}

function grab(source, w, h) {
  const c = document.createElement("canvas");
  c.width = w; c.height = h;
  const ctx = c.getContext("2d", { willReadFrequently: true });
  ctx.drawImage(source, 0, 0, w, h);
  return { canvas: c, image: ctx.getImageData(0, 0, w, h) };
}

async function predictFile(file) {
  if (!state.model) return;
  try {
    setStatus("reading " + file.name + " …");
    const bmp = await createImageBitmap(file, { premultiplyAlpha: "none", colorSpaceConversion: "none" });
    const frame = grab(bmp, bmp.width, bmp.height);
    bmp.close();
    state.selected = 0;
    show(frame.canvas, await analyse(frame.image), file.name, frame.image);
  } catch (err) {
    setStatus("cannot use " + file.name + ": " + message(err), true);
  }
}

// ---- webcam: detect and classify frame after frame, boxes drawn on each
async function toggleWebcam() {
  if (state.live) {
    state.live.stream.getTracks().forEach((t) => t.stop());
    state.live = null;
    $("webcam").textContent = "Start webcam";
    $("fps").textContent = "";
    setStatus("webcam off");
    return;
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
    const video = document.createElement("video");
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    await video.play();
    state.live = { stream, video, frames: 0, times: [] };
    $("webcam").textContent = "Stop webcam";
    setStatus("webcam on");
    liveFrame(state.live);
  } catch (err) {
    setStatus("no webcam: " + message(err), true);
  }
}

async function liveFrame(live) {
  if (state.live !== live) return;
  const v = live.video;
  if (v.videoWidth > 0) {
    try {
      const frame = grab(v, v.videoWidth, v.videoHeight);
      const result = await analyse(frame.image);
      if (state.live !== live) return;
      show(frame.canvas, result);
      live.frames++;
      const now = performance.now();
      live.times.push(now);
      if (live.times.length > 10) live.times.shift();
      const fps = live.times.length > 1 ? (live.times.length - 1) * 1000 / (now - live.times[0]) : 0;
      $("fps").textContent = "· webcam " + fps.toFixed(1) + " frames/s";
      document.body.setAttribute("data-frames", String(live.frames));
      setStatus("webcam: " + (result.faces.length === 0 ? "no face in view" : result.faces.map((f) => f.top).join(", ")));
    } catch (err) {
      setStatus("webcam frame failed: " + message(err), true);
      return;
    }
  }
  setTimeout(() => liveFrame(live), 0);
}

function selectAt(e) {
  if (!state.shown || !state.shown.result.detected) return;
  const c = $("photo"), r = c.getBoundingClientRect(), res = state.shown.result;
  const x = (e.clientX - r.left) * res.width / r.width, y = (e.clientY - r.top) * res.height / r.height;
  const i = res.faces.findIndex((f) => x >= f.box.x && x < f.box.x + f.box.width && y >= f.box.y && y < f.box.y + f.box.height);
  if (i < 0 || i === state.selected) return;
  state.selected = i;
  show(state.shown.source, res, state.shown.name, state.shown.image);
}

// Ticking or unticking "find faces" looks at the shown photo again (the webcam's next frame does anyway).
async function redetect() {
  const s = state.shown;
  if (state.live || !s || !s.image) return;
  state.selected = 0;
  show(s.source, await analyse(s.image), s.name, s.image);
}

async function init() {
  try {
    tf.env().set("PROD", true);
    if (tf.wasm && tf.wasm.setWasmPaths) tf.wasm.setWasmPaths("/vendor/wasm/");
    let ok = false;
    try { ok = await tf.setBackend("wasm"); } catch (e) { ok = false; }
    if (!ok) await tf.setBackend("cpu");
    await tf.ready();
    state.backend = tf.getBackend();
    $("backend").textContent = state.backend;
    const m = await (await fetch("/model/preprocess.json")).json();
    state.manifest = m;
    state.members = await loadMembers(m);
    state.model = state.members[0].model;
    const weights = await (await fetch("/detector/weights.bin")).arrayBuffer();
    state.detector = loadTinyFaceDetector(tf, await (await fetch("/detector/manifest.json")).json(), weights);
    const shape = m.input.shape;
    const views = state.members.map((x) => viewsText(x.manifest));
    $("inputsize").textContent = shape[1] + "x" + shape[2] + (shape[3] === 1 ? " grey" : "") +
      (state.members.length > 1 ? "; " + state.members.length + " members averaged" + (views.some(Boolean) ? " (" + views.map((v, i) => "m" + (i + 1) + ": " + (v || "the whole input")).join("; ") + ")" : "")
        : views[0] ? "; " + views[0] : "");
    $("runid").textContent = m.runId;
    document.body.setAttribute("data-ready", "true");
    setStatus("model loaded: drop a photo, pick a file, or start the webcam");
  } catch (err) {
    setStatus("could not load the model: " + message(err), true);
  }
}

$("file").addEventListener("change", (e) => { if (e.target.files[0]) predictFile(e.target.files[0]); });
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  if (e.dataTransfer.files[0]) predictFile(e.dataTransfer.files[0]);
});
$("webcam").addEventListener("click", toggleWebcam);
$("photo").addEventListener("click", selectAt);
$("detect").addEventListener("change", redetect);
init();
`;
