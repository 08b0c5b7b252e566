/**
 * `npm run runs:table [-- --write]`: the results table of runs/README.md, built from the committed
 * run records (run.yaml, spec.ir.json, metrics.jsonl, report.json), so the table cannot drift from
 * what `ferc eval` reproduces. `--write` replaces the text between the README's table markers.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import YAML from "yaml";
import type { SpecIR } from "../ir.js";
import { modelMacs } from "../check/macs.js";
import type { EpochMetrics } from "../train/events.js";
import type { RunManifest } from "../run/manifest.js";
import { ENSEMBLE_FILES, type EnsembleManifest } from "../ensemble/record.js";

/** An older record's evaluation on the whole test split (see fullTest). */
export const FULL_TEST_FILE = "full-test.json";
const START = "<!-- runs-table:start -->";
const END = "<!-- runs-table:end -->";

/** The 2017 report's PrivateTest figures (Keras, same net) and Kaggle's 2013 winner. */
const REFERENCE_ROWS = [
  "| reference: vgg-small, no augmentation (2017 report) | 141,303 | 11.6 M | Keras | – | – | – | – | 58.90% (n=3,589) | 1.0635 | – |",
  "| reference: vgg-small, augmented (2017 report) | 141,303 | 11.6 M | Keras | – | – | – | – | 62.16% (n=3,589) | 1.0003 | – |",
  "| reference: Kaggle 2013 winner (Tang, CNN with SVM loss) | – | – | – | – | – | – | – | 71.16% (n=3,589) | – | – |",
];

function duration(ms: number): string {
  const min = Math.round(ms / 60000);
  return `${Math.floor(min / 60)}h${String(min % 60).padStart(2, "0")}m`;
}

/**
 * The run's figure on the whole test split: the run's own when its spec kept the test split whole
 * (`clean { test keep }`, the default since it exists), else `full-test.json` (`ferc eval
 * --split test --full-test --json`, saved beside an older record), else none.
 */
function fullTest(dir: string, spec: SpecIR, test: { acc: number; n: number }): { acc: number; n: number } | null {
  const file = join(dir, FULL_TEST_FILE);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as { acc: number; n: number };
  const clean = spec.dataset.clean as Partial<SpecIR["dataset"]["clean"]>;
  return clean.test === "keep" ? test : null;
}

/**
 * An ensemble record's row: its members (by spec, with how many of each), their total parameters,
 * multiply-adds (per image and view) and training time, and the averaged probabilities' figures;
 * its test split is always whole, so both test columns hold the same figure.
 */
function ensembleRow(dir: string): { startedAt: string; text: string } | null {
  const m = YAML.parse(readFileSync(join(dir, ENSEMBLE_FILES.manifest), "utf8")) as EnsembleManifest;
  if (!m.test) return null;
  const specs = new Map<string, number>();
  for (const x of m.members) specs.set(x.spec, (specs.get(x.spec) ?? 0) + 1);
  const what = `[${m.runId}](${m.runId}/report.md): ensemble of ${m.members.length} (${[...specs].map(([s, n]) => (n > 1 ? `${s} ×${n}` : s)).join(", ")})`;
  const pct = (acc: number) => `${(acc * 100).toFixed(2)}%`;
  const n = `(n=${m.test.n.toLocaleString("en-US")})`;
  const macs = m.totals.macs === null ? "–" : `${(m.totals.macs / 1e6).toFixed(1)} M`;
  const text = `| ${what} | ${m.totals.params.toLocaleString("en-US")} | ${macs} | ${m.backend} | ${m.members.length} members (mean of probabilities) | ${duration(m.totals.trainingMs)} (members' sum) | ${m.val ? pct(m.val.acc) : "–"} | ${pct(m.test.acc)} ${n} | **${pct(m.test.acc)}** ${n} | ${m.test.loss.toFixed(4)} | ${m.test.macroF1?.toFixed(3) ?? "–"} |`;
  return { startedAt: m.createdAt, text };
}

function row(dir: string): { startedAt: string; text: string } | null {
  if (existsSync(join(dir, ENSEMBLE_FILES.manifest))) return ensembleRow(dir);
  const manifestFile = join(dir, "run.yaml");
  if (!existsSync(manifestFile)) return null;
  const m = YAML.parse(readFileSync(manifestFile, "utf8")) as RunManifest;
  if (m.status !== "completed" || !m.test) return null;
  const spec = JSON.parse(readFileSync(join(dir, "spec.ir.json"), "utf8")) as SpecIR;
  const history = readFileSync(join(dir, "metrics.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as EpochMetrics);
  const trainMs = history.reduce((s, e) => s + e.timeMs, 0);
  const perEpoch = history.length ? trainMs / history.length / 1000 : 0;
  // A fine-tuned run's own time, and where it started (whose training it continues).
  const init = m.init ? `, fine-tuned from ${basename(m.init.record.relative)}${m.init.epoch !== undefined ? ` (epoch ${m.init.epoch})` : ""}` : "";
  const what = `[${m.runId}](${m.runId}/report.md): ${spec.name}${m.augment ? " --augment" : ""}${init}${m.distill?.perView ? ", per-view distillation" : ""}`;
  const pct = (acc: number) => `${(acc * 100).toFixed(2)}%`;
  const full = fullTest(dir, spec, m.test);
  const macs = modelMacs(spec.model.layers);
  // The selection metric: PublicTest (val) accuracy at the epoch the run kept.
  const val = history.find((e) => e.epoch === m.bestEpoch)?.valAcc;
  const text = `| ${what} | ${spec.totals.total.toLocaleString("en-US")} | ${macs === undefined ? "–" : `${(macs / 1e6).toFixed(1)} M`} | ${m.backend} | ${m.epochsDone} (best ${m.bestEpoch}, ${m.reason}) | ${duration(trainMs)} (${perEpoch.toFixed(0)} s/epoch)${m.init ? " after its start's" : ""} | ${val === undefined ? "–" : pct(val)} | ${pct(m.test.acc)} (n=${m.test.n.toLocaleString("en-US")}) | ${full ? `**${pct(full.acc)}** (n=${full.n.toLocaleString("en-US")})` : "–"} | ${m.test.loss.toFixed(4)} | ${m.test.macroF1.toFixed(3)} |`;
  return { startedAt: m.startedAt, text };
}

export function runsTable(runsDir: string): string {
  const rows = readdirSync(runsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith("."))
    .map((d) => row(join(runsDir, d.name)))
    .filter((r): r is { startedAt: string; text: string } => r !== null)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .map((r) => r.text);
  return [
    "| run | params | mult-adds | backend | epochs | training time | PublicTest acc (selection) | PrivateTest acc, as the run tested | PrivateTest acc, all 3,589 images | loss (as tested) | macro F1 (as tested) |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows,
    ...REFERENCE_ROWS,
  ].join("\n");
}

/** The command line: print the table, or with --write put it into runs/README.md. */
function main(): void {
  const runsDir = process.argv.find((a, i) => i > 1 && !a.startsWith("--")) ?? "runs";
  const table = runsTable(runsDir);
  if (process.argv.includes("--write")) {
    const readme = join(runsDir, "README.md");
    const text = readFileSync(readme, "utf8");
    const a = text.indexOf(START), b = text.indexOf(END);
    if (a < 0 || b < a) throw new Error(`${readme} has no ${START} ... ${END} markers`);
    writeFileSync(readme, `${text.slice(0, a + START.length)}\n${table}\n${text.slice(b)}`);
    console.log(`wrote the table of ${readme}`);
  } else console.log(table);
}

// Run as a script (npm run runs:table), not when imported (tests).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
