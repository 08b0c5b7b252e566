/**
 * `loadDataset`: source -> (cache) -> split rules -> cleaning -> LoadedDataset with a report.
 *
 * Source selection: the spec's `source`, unless `opts.dataPath` (the CLI's `--data PATH`) overrides
 * it: a directory -> image folder, `synthetic` -> synthetic (count/seed/noise from the spec when it
 * is synthetic, else 7,000 images, seed 1, noise 0.05), anything else -> CSV (plain or gzip, decided
 * by content). Relative paths resolve against `opts.baseDir` (the spec file's directory) for spec
 * paths, and against the working directory for `dataPath`.
 */
import type { Stats } from "node:fs";
import { stat } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import type { DatasetIR, SourceIR, SplitRuleIR } from "../ir.js";
import { cacheFilePath, defaultCacheDir, readCache, writeCache } from "./cache.js";
import { dropBlank, dropDuplicates } from "./clean.js";
import { parseFerCsv } from "./csv.js";
import { DataError } from "./errors.js";
import { fileKind } from "../util/fileKind.js";
import { readImageFolder } from "./folder.js";
import { folderRulesForUsage } from "./usageFolders.js";
import { contentHash, sha256Hex } from "./hash.js";
import { applySplitRules, checkGroupsSelected } from "./split.js";
import { generateSynthetic, SYNTHETIC_POOLS, SYNTHETIC_VERSION } from "./synthetic.js";
import type { DataReport, LoadedDataset, PerSplit, ProgressFn, SourceImages, Split } from "./types.js";

/** Bumped whenever parsing/decoding changes what a source yields, which invalidates cache entries. */
export const PARSER_VERSION = 1;

export interface LoadOptions {
  /** `--data PATH` override: a .csv/.csv.gz file, an image directory, or the word `synthetic`. */
  readonly dataPath?: string;
  /** Where parsed sources are cached; default $FERC_CACHE_DIR or `.ferc-cache/`. `false` disables the cache. */
  readonly cacheDir?: string | false;
  /** Directory that relative spec source paths resolve against (the spec file's directory). */
  readonly baseDir?: string;
  readonly onProgress?: ProgressFn;
}

/** What `--data synthetic` reads for a spec whose own source is not synthetic. */
export const DEFAULT_SYNTHETIC = { count: 7000, seed: 1, noise: 0.05 } as const;

/** Resolve the effective source from the spec and the `--data` override. */
export async function resolveSource(ds: DatasetIR, opts: LoadOptions = {}): Promise<SourceIR> {
  if (opts.dataPath === undefined) {
    if (ds.source.kind === "synthetic") return ds.source;
    const path = isAbsolute(ds.source.path) ? ds.source.path : resolve(opts.baseDir ?? process.cwd(), ds.source.path);
    return { ...ds.source, path };
  }
  if (opts.dataPath === "synthetic") return ds.source.kind === "synthetic" ? ds.source : { kind: "synthetic", ...DEFAULT_SYNTHETIC };
  const path = resolve(opts.dataPath);
  let st: Stats;
  try {
    st = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? `not found at ${path}${isAbsolute(opts.dataPath) ? "" : " (--data is relative to the working directory)"}` : (e as Error).message;
    throw new DataError(`cannot read --data path: ${why}`, { file: opts.dataPath });
  }
  // A FIFO or a device (/dev/zero) would block or never end: refused before anything opens it.
  if (!st.isFile() && !st.isDirectory()) throw new DataError(`cannot read --data path: it is ${fileKind(st)}, not a CSV file or an image folder`, { file: opts.dataPath });
  return st.isDirectory() ? { kind: "folder", path } : { kind: "csv", path };
}

/** A missing spec source, with what its relative path was relative to (the usual surprise). */
async function specSourceExists(ds: DatasetIR, source: SourceIR, baseDir: string | undefined): Promise<void> {
  if (source.kind === "synthetic" || ds.source.kind === "synthetic") return;
  const st = await stat(source.path).catch(() => null);
  if (st && !st.isFile() && !st.isDirectory()) throw new DataError(`source ${JSON.stringify(ds.source.path)} is ${fileKind(st)}, not a CSV file or an image folder`, { file: source.path });
  if (st) return;
  const where = isAbsolute(ds.source.path) ? "" : ` (a relative source is relative to ${baseDir ? `the spec file's directory, ${baseDir}` : "the working directory"})`;
  throw new DataError(`source ${JSON.stringify(ds.source.path)} not found${where}; fix the spec's source or pass --data PATH`, { file: source.path });
}

/**
 * Synthetic pools are named like FER2013 Usage values; folder-style rules (`train`, `val`, `test`)
 * are accepted as aliases so a spec written for the image folder also runs on synthetic data.
 */
function syntheticRules(rules: DatasetIR["split"]): DatasetIR["split"] {
  const alias: Record<string, string> = { train: "Training", val: "PublicTest", validation: "PublicTest", test: "PrivateTest" };
  const map = (r: SplitRuleIR): SplitRuleIR => {
    if (r.kind === "fraction") return r;
    const name = r.kind === "usage" ? r.value : alias[r.dir.toLowerCase()] ?? r.dir;
    if (!(SYNTHETIC_POOLS as readonly string[]).includes(name)) {
      throw new DataError(`split rule selects ${JSON.stringify(r.kind === "usage" ? r.value : r.dir)}, but the synthetic source has only ${SYNTHETIC_POOLS.join(", ")} (aliases train, val, test)`, { file: "synthetic" });
    }
    return { kind: "usage", value: name };
  };
  return { train: map(rules.train), val: map(rules.val), test: map(rules.test) };
}

function folderDirs(rules: DatasetIR["split"], file: string): string[] {
  const dirs: string[] = [];
  for (const r of [rules.train, rules.val, rules.test]) {
    if (r.kind === "usage") throw new DataError(`split rule usage ${JSON.stringify(r.value)} needs a CSV source; an image folder is split by directory (e.g. folder "train")`, { file });
    if (r.kind === "folder" && !dirs.some((d) => d.toLowerCase() === r.dir.toLowerCase())) dirs.push(r.dir);
  }
  return dirs;
}

/** Folder rules on a CSV source map to the conventional Usage values, so one spec runs on both. */
function csvRules(rules: DatasetIR["split"]): DatasetIR["split"] {
  const alias: Record<string, string> = { train: "Training", val: "PublicTest", validation: "PublicTest", test: "PrivateTest" };
  const map = (r: SplitRuleIR): SplitRuleIR => (r.kind === "folder" ? { kind: "usage", value: alias[r.dir.toLowerCase()] ?? r.dir } : r);
  return { train: map(rules.train), val: map(rules.val), test: map(rules.test) };
}

function labelsInRange(src: SourceImages, numClasses: number, file: string): void {
  for (let i = 0; i < src.n; i++) {
    if (src.labels[i]! >= numClasses) throw new DataError(`label ${src.labels[i]} out of range 0..${numClasses - 1}`, { file, row: i + 2 });
  }
}

interface Loaded {
  src: SourceImages;
  hash: string;
  rules: DatasetIR["split"];
  description: string;
  cache: DataReport["cache"];
}

async function loadSource(ds: DatasetIR, source: SourceIR, opts: LoadOptions): Promise<Loaded> {
  const progress = opts.onProgress;
  if (source.kind === "synthetic") {
    const params = { count: source.count, seed: source.seed, noise: source.noise, input: ds.input, numClasses: ds.classes.length };
    progress?.({ phase: "generate", done: 0, total: source.count });
    const src = generateSynthetic(params);
    progress?.({ phase: "generate", done: src.n, total: source.count });
    const hash = sha256Hex(JSON.stringify({ synthetic: SYNTHETIC_VERSION, ...params }));
    return { src, hash, rules: syntheticRules(ds.split), description: `synthetic count=${source.count} seed=${source.seed} noise=${source.noise}`, cache: "off" };
  }
  const file = source.path;
  const cacheDir = opts.cacheDir === false ? undefined : opts.cacheDir ?? defaultCacheDir();
  const folder = source.kind === "folder" ? await folderRulesForUsage(ds.split, file) : undefined;
  const rules = source.kind === "csv" ? csvRules(ds.split) : folder!.rules;
  const dirs = source.kind === "folder" ? folderDirs(rules, file) : undefined;
  progress?.({ phase: "hash", done: 0 });
  let hash: string;
  try {
    hash = await contentHash(file, cacheDir, dirs);
  } catch (e) {
    throw new DataError(`cannot read ${source.kind === "csv" ? "file" : "directory"}: ${(e as Error).message}`, { file });
  }
  const key = JSON.stringify({
    hash, parser: PARSER_VERSION, kind: source.kind, input: ds.input,
    ...(source.kind === "csv" ? { numClasses: ds.classes.length } : { classes: ds.classes.map((c) => c.toLowerCase()), dirs }),
  });
  const cacheFile = cacheDir === undefined ? undefined : cacheFilePath(cacheDir, key);
  let src = cacheFile === undefined ? undefined : await readCache(cacheFile, key);
  const cache: DataReport["cache"] = cacheFile === undefined ? "off" : src === undefined ? "miss" : "hit";
  if (src === undefined) {
    src =
      source.kind === "csv"
        ? await parseFerCsv(file, { input: ds.input, numClasses: ds.classes.length, onProgress: (done, total) => progress?.({ phase: "parse", done, total }) })
        : await readImageFolder(file, { input: ds.input, classes: ds.classes, dirs: dirs!, onProgress: (done, total) => progress?.({ phase: "decode", done, total }) });
    if (cacheFile !== undefined) await writeCache(cacheFile, key, src);
  }
  if (source.kind === "csv") labelsInRange(src, ds.classes.length, file);
  checkGroupsSelected(src, rules, file, source.kind);
  const mapped = folder?.mapped.length ? `; ${folder.mapped.join(", ")}` : "";
  return { src, hash, rules, description: `${source.kind} ${file} (sha256 ${hash.slice(0, 12)}${mapped})`, cache };
}

const count = (s: PerSplit<Split>): PerSplit<number> => ({ train: s.train.n, val: s.val.n, test: s.test.n });

/** Load, split and clean a dataset as the spec describes. */
export async function loadDataset(ds: DatasetIR, opts: LoadOptions = {}): Promise<LoadedDataset> {
  const source = await resolveSource(ds, opts);
  if (opts.dataPath === undefined) await specSourceExists(ds, source, opts.baseDir);
  const { src, hash, rules, description, cache } = await loadSource(ds, source, opts);
  const file = source.kind === "synthetic" ? "synthetic" : source.path;
  opts.onProgress?.({ phase: "split", done: 0 });
  let splits = applySplitRules(src, rules, file);
  const before = count(splits);
  const droppedBlank: PerSplit<number> = { train: 0, val: 0, test: 0 };
  // The test split is cleaned only when the spec says `test clean` (see DatasetIR.clean.test).
  const cleanTest = ds.clean.test === "clean";
  if (ds.clean.dropBlank) {
    opts.onProgress?.({ phase: "clean", done: 0 });
    for (const name of cleanTest ? (["train", "val", "test"] as const) : (["train", "val"] as const)) {
      const r = dropBlank(splits[name], ds.clean.blankThreshold);
      splits = { ...splits, [name]: r.split };
      droppedBlank[name] = r.dropped;
    }
  }
  let duplicates: DataReport["droppedDuplicates"] = { withinSplit: { train: 0, val: 0, test: 0 }, trainInValOrTest: 0, valTestShared: 0 };
  if (ds.clean.dropDuplicates) {
    const r = dropDuplicates(splits, { cleanTest });
    splits = r.splits;
    duplicates = { withinSplit: r.withinSplit, trainInValOrTest: r.trainInValOrTest, valTestShared: r.valTestShared };
  }
  for (const name of ["train", "val", "test"] as const) {
    if (splits[name].n === 0) throw new DataError(`split ${name} is empty after cleaning`, { file });
  }
  const report: DataReport = {
    source: description,
    cache,
    before,
    after: count(splits),
    droppedBlank,
    droppedDuplicates: duplicates,
    conversions: { ...src.conversions },
    test: cleanTest ? "cleaned" : "kept whole",
  };
  opts.onProgress?.({ phase: "done", done: 1, total: 1 });
  return { ...splits, report, hash };
}
