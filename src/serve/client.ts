/**
 * The browser side of `ferc serve`, as the text of one classic script (the page loads tfjs's own
 * UMD bundles first, which define the global `tf`). It does in the browser what `ferc predict`
 * does in Node: grey (ITU-R 601 luma, rounded), centre square crop, bilinear resize with
 * half-pixel centres, the run's preprocessing steps in float32, then the exported LayersModel,
 * on tfjs's wasm backend (cpu when wasm cannot start or lacks a kernel).
 *
 * The resize and preprocessing are line-for-line ports of src/data/image.ts `resizeBilinear` and
 * src/data/preprocess.ts `applySteps`, so a 48x48 grey PNG gets the same input tensor as predict.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var state = { model: null, manifest: null, backend: "" };

  function setStatus(text, isError) {
    var el = $("status");
    el.textContent = text;
    el.className = isError ? "error" : "";
  }

  // ---- image -> model input (ports of src/data/image.ts and src/data/preprocess.ts)
  function rgbaToGrey(data, n) {
    var out = new Uint8Array(n);
    for (var i = 0; i < n; i++) out[i] = Math.round(0.299 * data[4 * i] + 0.587 * data[4 * i + 1] + 0.114 * data[4 * i + 2]);
    return out;
  }
  function centreSquare(src, w, h) {
    var s = Math.min(w, h), x0 = Math.floor((w - s) / 2), y0 = Math.floor((h - s) / 2);
    if (s === w && s === h) return { px: src, size: s };
    var out = new Uint8Array(s * s);
    for (var y = 0; y < s; y++) for (var x = 0; x < s; x++) out[y * s + x] = src[(y + y0) * w + (x + x0)];
    return { px: out, size: s };
  }
  function resizeBilinear(src, sw, sh, dw, dh) {
    var out = new Uint8Array(dw * dh);
    var sx = sw / dw, sy = sh / dh;
    for (var y = 0; y < dh; y++) {
      var fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), sh - 1);
      var y0 = Math.floor(fy), y1 = Math.min(y0 + 1, sh - 1), wy = fy - y0;
      for (var x = 0; x < dw; x++) {
        var fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), sw - 1);
        var x0 = Math.floor(fx), x1 = Math.min(x0 + 1, sw - 1), wx = fx - x0;
        var a = src[y0 * sw + x0], b = src[y0 * sw + x1], p = src[y1 * sw + x0], q = src[y1 * sw + x1];
        var top = a + (b - a) * wx, bot = p + (q - p) * wx;
        out[y * dw + x] = Math.round(top + (bot - top) * wy);
      }
    }
    return out;
  }
  function preprocess(pixels, stats) {
    var img = new Float32Array(pixels.length), n = img.length, j;
    for (j = 0; j < n; j++) img[j] = pixels[j];
    for (var s = 0; s < stats.steps.length; s++) {
      var step = stats.steps[s];
      if (step.op === "scale") {
        for (j = 0; j < n; j++) img[j] /= 255;
      } else if (step.mode === "per-image") {
        var sum = 0, sq = 0;
        for (j = 0; j < n; j++) { var v = img[j]; sum += v; sq += v * v; }
        var mean = sum / n;
        var std = Math.max(Math.sqrt(Math.max(0, sq / n - mean * mean)), 1 / Math.sqrt(n));
        for (j = 0; j < n; j++) img[j] = (img[j] - mean) / std;
      } else {
        var st = stats.fitted[s], c = stats.channels;
        for (j = 0; j < n; j++) img[j] = (img[j] - st.mean[j % c]) / st.std[j % c];
      }
    }
    return img;
  }

  // ---- drawing
  function drawInput(grey, size) {
    var c = $("input48"), ctx = c.getContext("2d");
    var small = document.createElement("canvas");
    small.width = size; small.height = size;
    var id = small.getContext("2d").createImageData(size, size);
    for (var i = 0; i < grey.length; i++) { id.data[4 * i] = id.data[4 * i + 1] = id.data[4 * i + 2] = grey[i]; id.data[4 * i + 3] = 255; }
    small.getContext("2d").putImageData(id, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.clearRect(0, 0, c.width, c.height);
    ctx.drawImage(small, 0, 0, c.width, c.height);
  }
  function showBars(probs) {
    var classes = state.manifest.classes, top = 0;
    for (var k = 1; k < probs.length; k++) if (probs[k] > probs[top]) top = k;
    var html = "";
    for (var i = 0; i < classes.length; i++) {
      var p = probs[i];
      html += '<div class="bar' + (i === top ? " top" : "") + '" data-class="' + classes[i] + '" data-probability="' + p + '">' +
        '<span class="name">' + classes[i] + '</span><span class="track"><span class="fill" style="width:' + (p * 100).toFixed(2) + '%"></span></span>' +
        '<span class="pct">' + (p * 100).toFixed(1) + '%</span></div>';
    }
    $("bars").innerHTML = html;
    $("top").textContent = classes[top];
    $("top").setAttribute("data-probability", String(probs[top]));
    return classes[top];
  }

  async function predictGrey(grey, w, h) {
    var m = state.manifest, H = m.input.shape[1], W = m.input.shape[2];
    var sq = centreSquare(grey, w, h);
    var px = sq.size === H && sq.size === W ? sq.px : resizeBilinear(sq.px, sq.size, sq.size, W, H);
    drawInput(px, W);
    var x = tf.tensor4d(preprocess(px, m.preprocess), [1, H, W, 1]);
    var y;
    try {
      y = state.model.predict(x);
    } catch (err) {
      // A kernel this backend lacks: the cpu backend has them all.
      if (state.backend === "cpu") throw err;
      await tf.setBackend("cpu");
      state.backend = "cpu";
      $("backend").textContent = "cpu (wasm lacks a kernel: " + (err && err.message ? err.message : err) + ")";
      y = state.model.predict(x);
    }
    var probs = Array.from(await y.data());
    x.dispose(); y.dispose();
    var top = showBars(probs);
    window.fercResult = { top: top, probabilities: probs, classes: m.classes, input: Array.from(px), backend: state.backend };
    document.body.setAttribute("data-predicted", String(Date.now()));
    setStatus("predicted: " + top);
  }

  async function predictSource(source, w, h) {
    var c = document.createElement("canvas");
    c.width = w; c.height = h;
    var ctx = c.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(source, 0, 0, w, h);
    var data = ctx.getImageData(0, 0, w, h).data;
    await predictGrey(rgbaToGrey(data, w * h), w, h);
  }

  async function predictFile(file) {
    if (!state.model) return;
    try {
      setStatus("reading " + file.name + " …");
      var bmp = await createImageBitmap(file, { premultiplyAlpha: "none", colorSpaceConversion: "none" });
      $("original").src = URL.createObjectURL(file);
      await predictSource(bmp, bmp.width, bmp.height);
      bmp.close();
    } catch (err) {
      setStatus("cannot use " + file.name + ": " + (err && err.message ? err.message : err), true);
    }
  }

  async function startWebcam() {
    try {
      var stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
      var v = $("video");
      v.srcObject = stream;
      await v.play();
      v.hidden = false;
      $("snap").disabled = false;
      setStatus("webcam on: press Capture");
    } catch (err) {
      setStatus("no webcam: " + (err && err.message ? err.message : err), true);
    }
  }

  async function init() {
    try {
      tf.env().set("PROD", true);
      if (tf.wasm && tf.wasm.setWasmPaths) tf.wasm.setWasmPaths("/vendor/wasm/");
      var ok = false;
      try { ok = await tf.setBackend("wasm"); } catch (e) { ok = false; }
      if (!ok) await tf.setBackend("cpu");
      await tf.ready();
      state.backend = tf.getBackend();
      $("backend").textContent = state.backend;
      state.manifest = await (await fetch("/model/preprocess.json")).json();
      state.model = await tf.loadLayersModel("/model/model.json");
      $("runid").textContent = state.manifest.runId;
      document.body.setAttribute("data-ready", "true");
      setStatus("model loaded: drop a face image, pick a file, or use the webcam");
    } catch (err) {
      setStatus("could not load the model: " + (err && err.message ? err.message : err), true);
    }
  }

  $("file").addEventListener("change", function (e) { if (e.target.files[0]) predictFile(e.target.files[0]); });
  var drop = $("drop");
  drop.addEventListener("dragover", function (e) { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
  drop.addEventListener("drop", function (e) {
    e.preventDefault(); drop.classList.remove("over");
    if (e.dataTransfer.files[0]) predictFile(e.dataTransfer.files[0]);
  });
  $("webcam").addEventListener("click", startWebcam);
  $("snap").addEventListener("click", function () {
    var v = $("video");
    if (v.videoWidth) predictSource(v, v.videoWidth, v.videoHeight);
  });
  init();
})();
`;
