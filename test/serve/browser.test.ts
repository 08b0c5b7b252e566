/**
 * `ferc serve` and `ferc report --html` in a real browser: Debian's Chromium driven by
 * playwright-core (no browser download). Skipped, with a message, when Chromium is absent
 * (`apt-get install chromium`; FERC_CHROMIUM=/path overrides the location). Set
 * FERC_SCREENSHOTS=DIR to keep screenshots of the pages.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, ferc } from "../cli/helpers.js";
import { CLASSES, maxAbsDiff, predictJson, tempDir, trainShort, writeFaces } from "../export/helpers.js";
import { FER2013_CSV as REAL, privateTestFaces } from "../export/fer2013.js";
import { photoVideo } from "./y4m.js";

const CHROMIUM = process.env["FERC_CHROMIUM"] ?? "/usr/bin/chromium";
const present = existsSync(CHROMIUM);
if (!present) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set FERC_CHROMIUM)`);

const SHOTS = process.env["FERC_SCREENSHOTS"];
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export async function openBrowser(tag: string, extraFlags: readonly string[] = []): Promise<BrowserContext> {
  // A fresh profile each time, so no state from an earlier run can change what the page does.
  return chromium.launchPersistentContext(tempDir(`chromium-${tag}`), {
    executablePath: CHROMIUM,
    headless: true,
    args: [...FLAGS, ...extraFlags],
    viewport: { width: 1280, height: 900 },
  });
}

/** `ferc serve RUN --port 0`; resolves with the URL it prints. */
export function serve(run: string): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "serve", run, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    const timer = setTimeout(() => reject(new Error(`ferc serve printed no URL in 60 s:\n${out}\n${err}`)), 60_000);
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      out += c;
      const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child });
      }
    });
    child.stderr.setEncoding("utf8").on("data", (c: string) => (err += c));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`ferc serve exited ${code}:\n${out}\n${err}`));
    });
  });
}

/** Every request the page makes, to check that none leaves 127.0.0.1 (or the file itself). */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on("request", (r) => urls.push(r.url()));
  return urls;
}

describe.skipIf(!present)("in Chromium", () => {
  const tmp = tempDir("browser");
  const faces = writeFaces(tmp, 3, 202);
  let run = "", other = "";
  let ctx: BrowserContext;
  let server: { url: string; child: ChildProcess } | undefined;

  beforeAll(async () => {
    run = await trainShort("specs/demo.fer", join(tmp, "runs"), 2);
    ctx = await openBrowser("serve");
  }, 180_000);

  afterAll(async () => {
    server?.child.kill("SIGTERM");
    await ctx?.close();
  });

  it("ferc serve: an uploaded 48x48 face (taken whole) gets ferc predict's probabilities (1e-3) from tfjs-wasm in the page", async () => {
    server = await serve(run);
    const page = await ctx.newPage();
    const urls = recordRequests(page);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
    const expected = await predictJson(run, faces.paths);
    for (let i = 0; i < faces.paths.length; i++) {
      const before = await page.getAttribute("body", "data-predicted");
      await page.setInputFiles("#file", faces.paths[i]!);
      await page.waitForFunction((b) => document.body.getAttribute("data-predicted") !== b, before, { timeout: 30_000 });
      const shown = await page.evaluate(() => {
        const w = window as unknown as { fercResult: { top: string; probabilities: number[]; backend: string; input: number[]; detected: boolean } };
        const bars = [...document.querySelectorAll(".bar")].map((b) => [b.getAttribute("data-class"), Number(b.getAttribute("data-probability"))] as const);
        return { ...w.fercResult, topText: document.getElementById("top")!.textContent, bars };
      });
      const want = CLASSES.map((c) => expected[i]!.faces[0]!.probabilities[c]!);
      expect(shown.backend).toBe("wasm");
      expect(shown.detected).toBe(false);
      expect(shown.topText).toBe(expected[i]!.faces[0]!.top);
      expect(shown.top).toBe(expected[i]!.faces[0]!.top);
      expect(maxAbsDiff(shown.probabilities, want)).toBeLessThan(1e-3);
      expect(shown.bars.map(([c]) => c)).toEqual([...CLASSES]);
      expect(maxAbsDiff(shown.bars.map(([, p]) => p), want)).toBeLessThan(1e-3);
      // The 48x48 grey input the model saw is the PNG's pixels, unchanged.
      expect(shown.input).toEqual(Array.from(faces.pixels[i]!));
    }
    // The run's report is on the page too, charts drawn.
    const report = page.frameLocator("#report");
    // Loss, accuracy and per-class validation recall.
    await expect.poll(() => report.locator("[data-rendered=true]").count(), { timeout: 20_000 }).toBe(3);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "serve.png") });
    expect(errors).toEqual([]);
    const origin = server.url.replace(/\/$/, "");
    expect(urls.filter((u) => !u.startsWith(origin) && !u.startsWith("blob:") && !u.startsWith("data:"))).toEqual([]);
    await page.close();
  }, 180_000);

  it("ferc report --html: curves, confusion matrix, tables; hover reads values; no network", async () => {
    const file = join(tmp, "report.html");
    const r = await ferc(["report", run, "--html", "-o", file]);
    expect(r.code).toBe(0);
    const page = await ctx.newPage();
    const urls = recordRequests(page);
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector("body[data-charts='3']", { timeout: 20_000 });
    expect(await page.locator(".chart[data-rendered=true] canvas").count()).toBe(3);
    // Per-class validation recall: one series per class in the legend.
    expect(await page.locator("#run0-recall .u-legend .u-series").count()).toBe(1 + 7);
    // Something was drawn: the loss canvas has non-white pixels.
    const inked = await page.evaluate(() => {
      const c = document.querySelector("#run0-loss canvas") as HTMLCanvasElement;
      const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 0 && (d[i]! < 200 || d[i + 1]! < 200 || d[i + 2]! < 200)) n++;
      return n;
    });
    expect(inked).toBeGreaterThan(500);
    // Hover: the legend shows the values at the epoch under the cursor.
    const legend = page.locator("#run0-loss .u-legend");
    const over = (await page.locator("#run0-loss .u-over").boundingBox())!;
    await page.mouse.move(over.x + over.width - 2, over.y + over.height / 2);
    await expect.poll(() => legend.innerText()).toMatch(/train loss\s*\d\.\d{4}/);
    expect(await page.locator("table.confusion td").count()).toBe(49);
    expect(await page.locator("img.plot").count()).toBe(1);
    expect(await page.locator("pre.spec").innerText()).toContain("spec demo");
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "report.png"), fullPage: true });
    expect(urls.filter((u) => !u.startsWith("file:") && !u.startsWith("data:"))).toEqual([]);
    await page.close();
  }, 60_000);

  it("ferc report --html with two runs: side by side, metric deltas, the semantic diff, overlaid curves", async () => {
    other = await trainShort("specs/demo.fer", join(tmp, "runs"), 3);
    const file = join(tmp, "compare.html");
    const r = await ferc(["report", run, other, "--html", "-o", file]);
    expect(r.code).toBe(0);
    const page = await ctx.newPage();
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector("body[data-charts='8']", { timeout: 20_000 });
    expect(await page.locator("section.run").count()).toBe(2);
    expect(await page.locator("#compare-valacc[data-rendered=true]").count()).toBe(1);
    const deltas = await page.locator("table.deltas").innerText();
    expect(deltas).toMatch(/epochs\s+2\s+3 \+1/);
    // The two records differ only in --epochs: the specs as run differ in train.epochs.
    expect(await page.locator("pre.diff").innerText()).toContain("train.epochs 2 → 3");
    const [a, b] = await page.locator("section.run").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left));
    expect(b!).toBeGreaterThan(a! + 300);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "compare.png"), fullPage: true });
    await page.close();
  }, 120_000);

  it("ferc serve of an ensemble record: the page loads every member and gives ferc predict's averaged probabilities (1e-3)", async () => {
    other ||= await trainShort("specs/demo.fer", join(tmp, "runs"), 3);
    const built = await ferc(["ensemble", run, other, "--name", "demo-pair", "--runs-dir", join(tmp, "runs")], { timeoutMs: 120_000 });
    expect(built.code, built.stderr).toBe(0);
    const ens = /^demo-pair → (\S+)$/m.exec(built.stdout)![1]!;
    const expected = await predictJson(ens, faces.paths);
    const s = await serve(ens);
    try {
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(s.url);
      await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
      expect(await page.locator("#inputsize").innerText()).toMatch(/2 members averaged/);
      for (let i = 0; i < faces.paths.length; i++) {
        const before = await page.getAttribute("body", "data-predicted");
        await page.setInputFiles("#file", faces.paths[i]!);
        await page.waitForFunction((b) => document.body.getAttribute("data-predicted") !== b, before, { timeout: 30_000 });
        const shown = await page.evaluate(() => (window as unknown as { fercResult: { top: string; probabilities: number[] } }).fercResult);
        expect(shown.top).toBe(expected[i]!.faces[0]!.top);
        expect(maxAbsDiff(shown.probabilities, CLASSES.map((c) => expected[i]!.faces[0]!.probabilities[c]!))).toBeLessThan(1e-3);
      }
      // The ensemble's report: its members table.
      expect(await page.frameLocator("#report").locator("h2", { hasText: "Members" }).count()).toBe(1);
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      s.child.kill("SIGTERM");
    }
  }, 240_000);
});

const RECORD = readdirSync(fileURLToPath(new URL("../../runs", import.meta.url))).find((d) => d.startsWith("vgg-plus-long-"));

describe.skipIf(!present || !existsSync(REAL) || RECORD === undefined)("in Chromium, the committed FER2013 record", () => {
  it(`${RECORD}: ferc serve's tfjs model gives ferc predict's probabilities (1e-3) on PrivateTest faces`, async () => {
    const run = fileURLToPath(new URL(`../../runs/${RECORD}`, import.meta.url));
    const faces = await privateTestFaces(run, 3);
    const expected = await predictJson(run, faces.paths);
    const server = await serve(run);
    const ctx = await openBrowser("real");
    try {
      const page = await ctx.newPage();
      await page.goto(server.url);
      await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
      for (let i = 0; i < faces.paths.length; i++) {
        const before = await page.getAttribute("body", "data-predicted");
        await page.setInputFiles("#file", faces.paths[i]!);
        await page.waitForFunction((b) => document.body.getAttribute("data-predicted") !== b, before, { timeout: 60_000 });
        const shown = await page.evaluate(() => (window as unknown as { fercResult: { top: string; probabilities: number[]; backend: string } }).fercResult);
        expect(shown.backend).toBe("wasm");
        expect(shown.top).toBe(expected[i]!.faces[0]!.top);
        expect(maxAbsDiff(shown.probabilities, CLASSES.map((c) => expected[i]!.faces[0]!.probabilities[c]!))).toBeLessThan(1e-3);
      }
      if (SHOTS) await page.screenshot({ path: join(SHOTS, "serve-real.png") });
    } finally {
      server.child.kill("SIGTERM");
      await ctx.close();
    }
  }, 240_000);
});

const BEST = fileURLToPath(new URL("../../runs/vgg-wide-20261201-105427", import.meta.url));
const PHOTO = (name: string): string => fileURLToPath(new URL(`../photos/${name}`, import.meta.url));

interface PageFace {
  readonly box: { x: number; y: number; width: number; height: number };
  readonly score: number | null;
  readonly top: string;
  readonly probabilities: number[];
}
interface PageResult {
  readonly top: string | null;
  readonly probabilities: number[] | null;
  readonly backend: string;
  readonly detected: boolean;
  readonly width: number;
  readonly height: number;
  readonly faces: PageFace[];
}

const pageResult = (page: Page): Promise<PageResult> => page.evaluate(() => (window as unknown as { fercResult: PageResult }).fercResult);

async function upload(page: Page, file: string): Promise<PageResult> {
  const before = await page.getAttribute("body", "data-predicted");
  await page.setInputFiles("#file", file);
  await page.waitForFunction((b) => document.body.getAttribute("data-predicted") !== b, before, { timeout: 60_000 });
  return pageResult(page);
}

describe.skipIf(!present || !existsSync(join(BEST, "checkpoints")))("in Chromium, photographs and the webcam with the best record", () => {
  let server: { url: string; child: ChildProcess } | undefined;
  let ctx: BrowserContext;
  const tmp = tempDir("photos");
  const cam = photoVideo(PHOTO("astronaut.png"), join(tmp, "astronaut.y4m"));

  beforeAll(async () => {
    server = await serve(BEST);
    // The fake camera plays the astronaut; uploads work in the same browser.
    ctx = await openBrowser("photos", ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${cam.file}`]);
  }, 120_000);

  afterAll(async () => {
    server?.child.kill("SIGTERM");
    await ctx?.close();
  });

  it("an uploaded photo: the page draws the face's box, with ferc predict's box and probabilities (1e-3); no face in the coffee", async () => {
    const [expected] = await predictJson(BEST, [PHOTO("astronaut.png")]);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(server!.url);
    await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
    const shown = await upload(page, PHOTO("astronaut.png"));
    expect(shown.backend).toBe("wasm");
    expect(shown.detected).toBe(true);
    expect(shown.faces).toHaveLength(1);
    const want = expected!.faces[0]!;
    expect(shown.faces[0]!.box).toEqual(want.box);
    expect(shown.top).toBe("happy");
    expect(maxAbsDiff(shown.probabilities!, CLASSES.map((c) => want.probabilities[c]!))).toBeLessThan(1e-3);
    // The box is on the photo: the selected face's stroke colour at the middle of its left edge.
    const edge = await page.evaluate((b) => {
      const c = document.getElementById("photo") as HTMLCanvasElement;
      const s = c.width / 320;
      return Array.from(c.getContext("2d")!.getImageData(Math.round(b.x * s), Math.round((b.y + b.height / 2) * s), 1, 1).data.slice(0, 3));
    }, want.box);
    expect(edge).toEqual([37, 99, 235]);
    expect(await page.textContent("#facecount")).toBe("1 face (320x320)");
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "serve-photo.png") });
    const none = await upload(page, PHOTO("coffee.png"));
    expect(none.faces).toEqual([]);
    expect(await page.textContent("#status")).toContain("no face found in coffee.png");
    // Without "find faces" the centre square is the face, as predict --no-detect.
    const before = await page.getAttribute("body", "data-predicted");
    await page.uncheck("#detect");
    await page.waitForFunction((b) => document.body.getAttribute("data-predicted") !== b, before, { timeout: 60_000 });
    const whole = await pageResult(page);
    expect(whole.detected).toBe(false);
    expect(whole.faces.map((f) => f.box)).toEqual([{ x: 40, y: 0, width: 160, height: 160 }]);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it("the webcam (Chromium's fake camera playing the astronaut): boxes and labels live, frame after frame", async () => {
    const page = await ctx.newPage();
    await page.goto(server!.url);
    await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
    await page.click("#webcam");
    await page.waitForFunction(() => Number(document.body.getAttribute("data-frames") ?? 0) >= 3, null, { timeout: 60_000 });
    const r = await pageResult(page);
    expect([r.width, r.height]).toEqual([640, 480]);
    expect(r.faces).toHaveLength(1);
    expect(r.faces[0]!.top).toBe("happy");
    // Where the photo's face is in the frame (predict finds it at x 94, y 37 in the photo itself).
    const box = r.faces[0]!.box;
    expect(Math.abs(box.x - (cam.x + 94))).toBeLessThan(12);
    expect(Math.abs(box.y - (cam.y + 37))).toBeLessThan(12);
    expect(await page.textContent("#fps")).toMatch(/webcam \d+\.\d frames\/s/);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "serve-webcam.png") });
    await page.click("#webcam");
    expect(await page.textContent("#webcam")).toBe("Start webcam");
    await page.close();
  }, 120_000);
});
