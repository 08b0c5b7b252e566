/**
 * The record is what ran. A run's command line can change what its spec says: `--epochs`,
 * `--batch`, `--seed` (folded into the policy by request.ts applyOverrides), `--data` (another
 * source), `--augment` (the augment section on or off), `--limit`, `--time-limit`, `--backend`.
 * Here: the spec as the run trained it (spec.ir.json, what reports show and comparisons diff) and
 * the list of overrides (run.yaml `overrides`, every report), so nobody reads `epochs 100` and
 * `source "data/fer2013.csv"` off a two-epoch run on another file.
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import type { AugmentIR, SourceIR, SpecIR } from "../ir.js";
import { NO_AUGMENT } from "../sections/augment.js";
import { DEFAULT_SYNTHETIC } from "../data/load.js";
import type { RunManifest, RunOverride } from "./manifest.js";

/** What a request changes, from the CLI (src/run/request.ts RunRequest, flattened). */
export interface RequestedChanges {
  readonly epochs?: number;
  readonly batch?: number;
  readonly seed?: number;
  readonly augment: boolean;
  readonly data?: string;
  readonly limit?: number;
  readonly timeLimit?: string;
  readonly backend?: string;
}

/**
 * The training batches' augmentation as run: the section itself with `--augment`, none without
 * it, except a `random-crop`, which sets the model's input window either way (the centre one
 * when not augmenting), so it stays.
 */
export function augmentAsRun(a: AugmentIR, on: boolean): AugmentIR {
  if (on || !a.declared) return a;
  return a.randomCrop ? { ...NO_AUGMENT, declared: true, randomCrop: a.randomCrop } : NO_AUGMENT;
}

/** The source `--data PATH` reads (absolute), as the data pipeline decides it (src/data/load.ts resolveSource). */
export function sourceAsRun(spec: SpecIR, dataPath: string): SourceIR {
  if (dataPath === "synthetic") return spec.dataset.source.kind === "synthetic" ? spec.dataset.source : { kind: "synthetic", ...DEFAULT_SYNTHETIC };
  const path = resolve(dataPath);
  let folder = false;
  try {
    folder = statSync(path).isDirectory();
  } catch {
    // Not there: the run records the data error itself; the spec as run names the path it tried.
  }
  return { kind: folder ? "folder" : "csv", path };
}

/** The spec with the run's data source and augmentation folded in (policy overrides are already in). */
export function foldRun(spec: SpecIR, run: { readonly augment: boolean; readonly data?: string }): SpecIR {
  const source = run.data !== undefined ? sourceAsRun(spec, run.data) : spec.dataset.source;
  return { ...spec, dataset: { ...spec.dataset, source }, augment: augmentAsRun(spec.augment, run.augment) };
}

/** A source as a spec writes it, for the `spec` side of a `--data` override. */
export function sourceText(s: SourceIR): string {
  if (s.kind === "synthetic") return `synthetic count ${s.count} seed ${s.seed} noise ${s.noise}`;
  return s.kind === "folder" ? `folder ${JSON.stringify(s.path)}` : JSON.stringify(s.path);
}

/** The overrides of a new run of `spec` (the checked file, before any override), in flag order. */
export function runOverrides(spec: SpecIR, c: RequestedChanges): RunOverride[] {
  const out: RunOverride[] = [];
  const policy = (flag: "epochs" | "batch" | "seed", v: number | undefined): void => {
    if (v !== undefined) out.push({ flag, value: v, spec: spec.train[flag] });
  };
  policy("epochs", c.epochs);
  policy("batch", c.batch);
  policy("seed", c.seed);
  if (c.data !== undefined) out.push({ flag: "data", value: c.data === "synthetic" ? "synthetic" : resolve(c.data), spec: sourceText(spec.dataset.source) });
  // Declared augmentation is off unless asked for: either way the spec file alone does not say.
  if (c.augment || spec.augment.declared) out.push({ flag: "augment", value: c.augment, spec: "declared" });
  if (c.limit !== undefined) out.push({ flag: "limit", value: c.limit });
  if (c.timeLimit !== undefined) out.push({ flag: "time-limit", value: c.timeLimit });
  if (c.backend !== undefined) out.push({ flag: "backend", value: c.backend });
  return out;
}

/**
 * A record's overrides: run.yaml's list, or for records written before it, what the recorded
 * flags say (their spec side unknown).
 */
export function overridesOf(m: RunManifest): readonly RunOverride[] {
  if (m.overrides) return m.overrides;
  const out: RunOverride[] = [];
  for (const flag of ["epochs", "batch", "seed", "data", "limit", "time-limit", "backend"]) {
    const v = m.flags[flag];
    if (v !== undefined) out.push({ flag, value: v });
  }
  if (m.augment || m.flags["augment"] !== undefined) out.push({ flag: "augment", value: m.augment });
  return out;
}

/**
 * A record's spec as run: spec.ir.json, with the data source and augmentation folded in for
 * records written before spec.ir.json held them (folding is idempotent, so newer ones pass as is).
 */
export function specAsRun(ir: SpecIR, m: RunManifest): SpecIR {
  const data = m.overrides ? undefined : m.flags["data"];
  if (data === "synthetic" && ir.dataset.source.kind !== "synthetic") {
    return { ...ir, dataset: { ...ir.dataset, source: sourceAsRun(ir, "synthetic") }, augment: augmentAsRun(ir.augment, m.augment) };
  }
  if (typeof data === "string" && ir.dataset.source.kind !== "synthetic" && m.dataSource) {
    // The recorded absolute path, not the flag: that was relative to a directory long left.
    const path = m.dataSource.absolute;
    const source: SourceIR = { kind: /\.csv(\.gz)?$/i.test(path) ? "csv" : ir.dataset.source.kind, path };
    return { ...ir, dataset: { ...ir.dataset, source }, augment: augmentAsRun(ir.augment, m.augment) };
  }
  return { ...ir, augment: augmentAsRun(ir.augment, m.augment) };
}

/** `--epochs 2 (spec: 100)`, `augment off (the spec declares augment; --augment turns it on)`. */
export function overrideText(o: RunOverride): string {
  if (o.flag === "augment") {
    if (o.value === true) return "--augment (the spec's augment section on)";
    return o.spec === "declared" ? "augment off (the spec declares augment; --augment turns it on)" : "augment off";
  }
  const spec = o.spec === undefined ? "" : ` (spec: ${String(o.spec)})`;
  return `--${o.flag} ${String(o.value)}${spec}`;
}
