/**
 * `ferc serve`: an HTTP server on 127.0.0.1 only. Everything the page needs comes from it: the
 * page and its script, ferc's own browser-safe modules (the face detector, crop rule, resize,
 * preprocessing and test-time views, compiled, the very files `ferc predict` runs), tfjs's UMD
 * bundles and wasm binaries and the face detector's weights from the installed packages, the
 * run's model exported as tfjs (in memory, the same export as `ferc export --to tfjs`) and the
 * run's HTML report. A Content-Security-Policy of 'self' keeps the page off any other host.
 */
import { readFileSync } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import type { Tfl } from "../layers/kind.js";
import { loadRunModel, tfjsExportOf } from "../export/index.js";
import { htmlReport } from "../report/html.js";
import { loadReportRun, ReportError } from "../report/htmlData.js";
import { CLIENT_SCRIPT } from "./client.js";
import { readDetectorFiles } from "../predict/detector.js";
import { servePage, VENDOR_SCRIPTS } from "./page.js";
import { ensembleTfjsFiles, loadEnsembleModels } from "../export/ensemble.js";
import { isEnsembleRecord } from "../ensemble/record.js";
import { readEnsembleReport } from "../ensemble/reportSource.js";
import { ensembleHtml } from "../ensemble/html.js";

export interface ServeOptions {
  readonly dir: string;
  /** 0 = a free port. */
  readonly port: number;
  readonly tfl: Tfl;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly runId: string;
  close(): Promise<void>;
}

interface Asset {
  readonly type: string;
  readonly body: string | Uint8Array;
  readonly csp?: string;
}

const require = createRequire(import.meta.url);

const VENDOR_FILES: Readonly<Record<string, string>> = {
  "tf-core.js": "@tensorflow/tfjs-core/dist/tf-core.min.js",
  "tf-backend-cpu.js": "@tensorflow/tfjs-backend-cpu/dist/tf-backend-cpu.min.js",
  "tf-backend-wasm.js": "@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js",
  "tf-layers.js": "@tensorflow/tfjs-layers/dist/tf-layers.min.js",
  "wasm/tfjs-backend-wasm.wasm": "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm",
  "wasm/tfjs-backend-wasm-simd.wasm": "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm",
  "wasm/tfjs-backend-wasm-threaded-simd.wasm": "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm",
};

const PAGE_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; " +
  "media-src 'self' blob: mediastream:; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'";
const REPORT_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

/**
 * ferc's modules the page imports, by their path under src/ (compiled to dist/). Each imports
 * nothing at run time but the others in this list (test/serve/modules.test.ts checks), so the
 * browser resolves them all from `/lib/`.
 */
export const LIB_MODULES = ["face/pixels.js", "face/resample.js", "face/region.js", "face/views.js", "face/detector.js", "face/faces.js", "data/preprocess.js"] as const;

function libAssets(): Map<string, Asset> {
  const out = new Map<string, Asset>();
  for (const m of LIB_MODULES) {
    // This file is dist/serve/server.js; the modules sit beside its folder.
    const file = new URL(`../${m}`, import.meta.url);
    let body: Buffer;
    try {
      body = readFileSync(file);
    } catch {
      throw new Error(`ferc serve needs its compiled module ${file.pathname} (npm run build makes it)`);
    }
    out.set(`/lib/${m}`, { type: "text/javascript; charset=utf-8", body });
  }
  return out;
}

async function detectorAssets(): Promise<Map<string, Asset>> {
  const { manifest, weights } = await readDetectorFiles();
  return new Map<string, Asset>([
    ["/detector/manifest.json", { type: "application/json", body: JSON.stringify(manifest) }],
    ["/detector/weights.bin", { type: "application/octet-stream", body: weights }],
  ]);
}

function vendorAssets(): Map<string, Asset> {
  const out = new Map<string, Asset>();
  for (const [name, mod] of Object.entries(VENDOR_FILES)) {
    const body = readFileSync(require.resolve(mod));
    out.set(`/vendor/${name}`, { type: name.endsWith(".wasm") ? "application/wasm" : "text/javascript; charset=utf-8", body });
  }
  for (const s of VENDOR_SCRIPTS) if (!out.has(`/vendor/${s}`)) throw new Error(`vendor script ${s} has no source`);
  return out;
}

async function reportPage(dir: string): Promise<string> {
  try {
    return await htmlReport([await loadReportRun(dir)]);
  } catch (err) {
    if (!(err instanceof ReportError)) throw err;
    return `<!doctype html><meta charset="utf-8"><title>no report</title><p>No report for this run yet: ${err.message.replace(/[<&]/g, "")}</p>`;
  }
}

/** A 4xx with a short plain-text reason. */
function refuse(res: http.ServerResponse, status: number, text: string, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { "content-type": "text/plain", ...headers }).end(`${text}\n`);
}

/** How many times a header occurs in the request as sent (node keeps only the first Host). */
function headerCount(req: http.IncomingMessage, name: string): number {
  let n = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() === name) n++;
  return n;
}

/**
 * The path of an origin-form request target (`/model/model.json?x` -> `/model/model.json`), or
 * null for anything else (`*`, `http://host/...`, an empty target). No URL parser is involved:
 * every asset is looked up by its exact path, so the target only needs splitting, and `//`,
 * `//a:b` or `/%zz` are paths like any other (not found), never an exception.
 */
export function requestPath(target: string | undefined): string | null {
  if (target === undefined || !target.startsWith("/")) return null;
  const end = target.search(/[?#]/);
  return end < 0 ? target : target.slice(0, end);
}

function answer(req: http.IncomingMessage, res: http.ServerResponse, assets: ReadonlyMap<string, Asset>, port: number): void {
  // A page on another origin that resolves its name to 127.0.0.1 (DNS rebinding) sends its own
  // Host: only our own names are answered. Exactly one Host: with two, which one a proxy or a
  // browser believed is anyone's guess.
  if (headerCount(req, "host") !== 1) return refuse(res, 400, "bad request: exactly one Host header");
  const host = (req.headers.host ?? "").toLowerCase();
  if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return refuse(res, 421, "misdirected request");
  if (req.method !== "GET" && req.method !== "HEAD") return refuse(res, 405, "method not allowed", { allow: "GET, HEAD" });
  const path = requestPath(req.url);
  if (path === null) return refuse(res, 400, "bad request: the target must be a path");
  if (path === "/favicon.ico") {
    res.writeHead(204).end();
    return;
  }
  const a = assets.get(path === "/index.html" ? "/" : path);
  if (!a) return refuse(res, 404, "not found");
  const body = typeof a.body === "string" ? Buffer.from(a.body) : a.body;
  res.writeHead(200, {
    "content-type": a.type,
    "content-length": body.byteLength,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...(a.csp ? { "content-security-policy": a.csp } : {}),
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

/** What the page serves as /model/: a run's tfjs export, or an ensemble's (a folder per member). */
interface ServedModel {
  readonly runId: string;
  readonly name: string;
  readonly files: ReadonlyMap<string, string | Uint8Array>;
  readonly report: string;
}

async function runModel(dir: string, tfl: Tfl): Promise<ServedModel> {
  const m = await loadRunModel(dir, tfl);
  try {
    return { runId: m.runId, name: m.spec.name, files: (await tfjsExportOf(m)).files, report: await reportPage(dir) };
  } finally {
    m.model.dispose();
  }
}

/** An ensemble record: its members checked against their hashes, exported as `ferc export --to tfjs` does. */
async function ensembleModel(dir: string, tfl: Tfl): Promise<ServedModel> {
  const e = await loadEnsembleModels(dir, tfl);
  try {
    const { manifest, report } = await readEnsembleReport(dir);
    return { runId: e.manifest.runId, name: `ensemble ${e.manifest.name}`, files: await ensembleTfjsFiles(e), report: ensembleHtml(manifest, report) };
  } finally {
    e.dispose();
  }
}

/** Build every response once, then listen. */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const m = (await isEnsembleRecord(opts.dir)) ? await ensembleModel(opts.dir, opts.tfl) : await runModel(opts.dir, opts.tfl);
  const assets = new Map([...vendorAssets(), ...libAssets(), ...(await detectorAssets())]);
  assets.set("/", { type: "text/html; charset=utf-8", body: servePage(m.runId, m.name), csp: PAGE_CSP });
  assets.set("/app.js", { type: "text/javascript; charset=utf-8", body: CLIENT_SCRIPT });
  assets.set("/report.html", { type: "text/html; charset=utf-8", body: m.report, csp: REPORT_CSP });
  for (const [name, body] of m.files) {
    assets.set(`/model/${name}`, { type: name.endsWith(".json") ? "application/json" : "application/octet-stream", body });
  }

  let port = opts.port;
  const server = http.createServer((req, res) => {
    // No request may end the server: whatever a handler throws becomes a 500 for that request.
    try {
      answer(req, res, assets, port);
    } catch {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("internal error\n");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    runId: m.runId,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
