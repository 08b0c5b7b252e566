/**
 * `npm run peer:table [-- --data PATH] [--run runs/<id>] [--write]`: a ferc record (by default vgg-wide, 1.18M params) side by
 * side with a peer, the 7-class expression net that ships inside the npm package
 * `@vladmandic/face-api` (weights in its `model/` folder), on the same FER2013 PrivateTest images
 * (all 3,589): accuracy, macro F1 and per-class recall. Both see the same decoded images, one
 * confusion matrix each, scored by src/train/metrics.ts. `--write` replaces the table between
 * the peer-table markers of docs/results.md.
 *
 * How each is fed: ferc as `ferc predict --no-detect` feeds it (the 48x48 grey face, the run's
 * preprocessing, its centre window and the spec's test-time views). The peer as its documentation
 * prescribes for a face crop: face-api's own Node build (`dist/face-api.node-wasm.js`, on its peer
 * `@tensorflow/tfjs`, a dev dependency, with the wasm backend), given each 48x48 face as an RGB
 * tensor (grey copied to R, G and B), which its `predictExpressions` resizes to its 112x112 input
 * (bilinear) and normalises itself. Needs the FER2013 CSV (`--data`, else $FER2013_CSV, else
 * ../shared/fer2013/fer2013.csv.gz); says so and exits 2 without it.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type * as TF from "@tensorflow/tfjs-core";
import type { SpecIR } from "../ir.js";
import type { RunReport } from "../report/markdown.js";
import { accuracyOf, addToConfusion, emptyConfusion, macroF1, perClassMetrics } from "../train/metrics.js";
import type { ClassMetrics } from "../train/events.js";

const START = "<!-- peer-table:start -->";
const END = "<!-- peer-table:end -->";
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DEFAULT_RUN = "runs/vgg-wide-20261201-105427";
/** face-api's expression names, in FER2013's class order (angry … neutral). */
const PEER_NAMES = ["angry", "disgusted", "fearful", "happy", "sad", "surprised", "neutral"] as const;
const BATCH = 64;

export interface Scored {
  readonly name: string;
  readonly fed: string;
  readonly n: number;
  readonly acc: number;
  readonly macroF1: number;
  readonly perClass: ClassMetrics[];
}

function score(name: string, fed: string, truth: Uint8Array, predicted: Uint8Array, classes: readonly string[]): Scored {
  const confusion = emptyConfusion(classes.length);
  addToConfusion(confusion, truth, predicted);
  const perClass = perClassMetrics(confusion, classes);
  return { name, fed, n: truth.length, acc: accuracyOf(confusion), macroF1: macroF1(perClass), perClass };
}

const pct = (v: number): string => `${(v * 100).toFixed(2)}%`;

export function peerTableMarkdown(rows: readonly Scored[], classes: readonly string[]): string {
  const head = `| model | fed | accuracy | macro F1 | ${classes.map((c) => `${c} recall`).join(" | ")} |`;
  const rule = `|${" --- |".repeat(4 + classes.length)}`;
  const body = rows.map((r) => `| ${r.name} | ${r.fed} | ${pct(r.acc)} | ${r.macroF1.toFixed(4)} | ${r.perClass.map((c) => pct(c.recall)).join(" | ")} |`);
  return [head, rule, ...body].join("\n");
}

interface FaceApiExpressions {
  readonly [name: string]: number;
}
interface FaceApi {
  readonly tf: typeof TF & { setWasmPaths?(dir: string): void };
  readonly nets: { readonly faceExpressionNet: { loadFromDisk(dir: string): Promise<void>; predictExpressions(input: TF.Tensor3D[]): Promise<FaceApiExpressions[]> } };
}

/** The peer's top class for each 48x48 grey face, through face-api's own Node build. */
async function peerPredictions(pixels: Uint8Array, n: number, wasmDir: string): Promise<Uint8Array> {
  const require = createRequire(import.meta.url);
  const faceapi = require("@vladmandic/face-api/dist/face-api.node-wasm.js") as FaceApi;
  const tf = faceapi.tf;
  tf.setWasmPaths?.(wasmDir);
  await tf.setBackend("wasm");
  await tf.ready();
  await faceapi.nets.faceExpressionNet.loadFromDisk(dirname(require.resolve("@vladmandic/face-api/model/face_expression_model-weights_manifest.json")));
  const out = new Uint8Array(n);
  const size = 48 * 48;
  for (let start = 0; start < n; start += BATCH) {
    const m = Math.min(BATCH, n - start);
    const faces = Array.from({ length: m }, (_, i) => {
      const rgb = new Float32Array(size * 3);
      for (let j = 0; j < size; j++) rgb[3 * j] = rgb[3 * j + 1] = rgb[3 * j + 2] = pixels[(start + i) * size + j]!;
      return tf.tensor3d(rgb, [48, 48, 3]);
    });
    const expressions = await faceapi.nets.faceExpressionNet.predictExpressions(faces);
    faces.forEach((t) => t.dispose());
    expressions.forEach((e, i) => {
      const p = PEER_NAMES.map((k) => e[k] ?? 0);
      out[start + i] = p.indexOf(Math.max(...p));
    });
    process.stderr.write(`\rface-api expression net: ${start + m}/${n}`);
  }
  process.stderr.write("\n");
  return out;
}

/** ferc's top class for each face: the record's predictor, as `ferc predict --no-detect` runs it. */
async function fercPredictions(run: string, pixels: Uint8Array): Promise<Uint8Array> {
  const tfl = await import("@tensorflow/tfjs-layers");
  const { modelBuilder } = await import("../compile/index.js");
  const { openPredictor } = await import("../run/index.js");
  const predictor = await openPredictor(run, { buildModel: await modelBuilder(tfl, "wasm") });
  try {
    const predictions = await predictor.predict(pixels);
    return Uint8Array.from(predictions.map((p) => p.top.index));
  } finally {
    predictor.dispose();
  }
}

/** How `ferc predict --no-detect` feeds the record's model, in words (from its spec). */
export function fercFed(spec: SpecIR): string {
  const [h, w] = spec.dataset.input;
  const steps = spec.preprocess.steps.map((st) => (st.op === "scale" ? "scaled /255" : st.mode === "per-image" ? "standardised per image" : "standardised with the train split's statistics"));
  const crop = spec.augment.randomCrop, tta = spec.train.tta ?? "none";
  const views = crop ? (tta === "ten-crop" ? `four corner and centre ${crop[0]}x${crop[1]} windows` : `centre ${crop[0]}x${crop[1]} window`) : "whole face";
  const mirrored = tta === "none" ? "" : crop && tta === "ten-crop" ? " and their mirrors averaged" : " and its mirror averaged";
  return `${h}x${w} grey${steps.length ? `, ${steps.join(", ")}` : ""}; ${views}${mirrored} (tta ${tta})`;
}

function option(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: readonly string[]): Promise<number> {
  const run = resolve(option(argv, "--run") ?? join(ROOT, DEFAULT_RUN));
  const data = resolve(option(argv, "--data") ?? process.env["FER2013_CSV"] ?? join(ROOT, "../shared/fer2013/fer2013.csv.gz"));
  if (!existsSync(data)) {
    process.stderr.write(`peer table: no FER2013 data at ${data} (give --data PATH or set FER2013_CSV); nothing measured\n`);
    return 2;
  }
  const tf = await import("@tensorflow/tfjs-core");
  tf.env().set("PROD", true);
  const { selectBackend } = await import("../backend/select.js");
  await selectBackend("wasm");
  const { wasmDistDir } = await import("../backend/wasmFiles.js");
  const { loadDataset } = await import("../data/load.js");
  const spec = JSON.parse(readFileSync(join(run, "spec.ir.json"), "utf8")) as SpecIR;
  const test = (await loadDataset(spec.dataset, { dataPath: data, cacheDir: join(ROOT, ".ferc-cache") })).test;
  const classes = spec.dataset.classes;
  const runId = run.split("/").pop()!;
  process.stderr.write(`peer table: ${test.n} test images from ${data}\n`);
  const ours = score(`ferc ${runId}`, fercFed(spec), test.labels, await fercPredictions(run, test.pixels), classes);
  const recorded = (JSON.parse(readFileSync(join(run, "report.json"), "utf8")) as RunReport).test;
  if (recorded && Math.abs(recorded.acc - ours.acc) > 5e-4) {
    process.stderr.write(`peer table: ferc's accuracy here (${pct(ours.acc)}) differs from the record's (${pct(recorded.acc)}); not writing\n`);
    return 1;
  }
  const peer = score("face-api 1.7.15 expression net", "each 48x48 face as RGB (grey in R, G, B), resized by face-api to its 112x112 input", test.labels, await peerPredictions(test.pixels, test.n, wasmDistDir()), classes);
  const table = peerTableMarkdown([ours, peer], classes);
  process.stdout.write(`${table}\n`);
  if (argv.includes("--write")) {
    const page = join(ROOT, "docs", "results.md");
    const text = readFileSync(page, "utf8");
    const a = text.indexOf(START), b = text.indexOf(END);
    if (a < 0 || b < a) throw new Error(`docs/results.md has no ${START} … ${END} markers`);
    writeFileSync(page, `${text.slice(0, a + START.length)}\n${table}\n${text.slice(b)}`);
    process.stderr.write("docs/results.md: peer table written\n");
  }
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`peer table: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
