/**
 * Checking an ensemble file (src/sections/ensemble.ts): its own statements first, as the checker
 * checks a spec (every problem at once, with line:col), then its members, read from disk: each spec
 * checked (F0802 when it has errors), each run record read (F0801 when it cannot be, F0805 when it
 * has no weights or failed), and all of them compared (F0803: other classes, input size, splits
 * or data), each problem at the member's statement. The result lists every member that would
 * be averaged (a spec once per seed) with its parameters, multiply-adds and views: what
 * `ferc check` prints and `ferc ensemble` trains and builds from. No tfjs here (`ferc check`
 * must start fast): run records are read through src/run's light readers.
 */
import { promises as fsp } from "node:fs";
import * as path from "node:path";
import { checkAny } from "../check/any.js";
import { diagnostic, hasErrors, NO_SPAN, sortDiagnostics, uniqueDiagnostics, type Diagnostic, type Span } from "../diagnostics.js";
import type { SpecIR } from "../ir.js";
import { resolveSwappedDir } from "../run/atomicFs.js";
import { FILES } from "../run/layout.js";
import { readManifest, type RunManifest } from "../run/manifest.js";
import { isObject, readRecordJson } from "../run/recordFiles.js";
import { checkSection } from "../schema/section.js";
import { ENSEMBLE_MEMBERS, type EnsembleFileIR, type EnsembleMemberIR } from "../sections/ensemble.js";
import type { Document, Statement } from "../syntax/ast.js";
import { parse } from "../syntax/parser.js";
import { memberMacs, viewsOf } from "./cost.js";
import { isEnsembleText } from "./detect.js";
export { isEnsembleDocument, isEnsembleText } from "./detect.js";
import type { MemberViews } from "./record.js";

const TOP = ["ensemble", "members"] as const;

/** The file's own statements: its name and members block. Pure; nothing is read. */
export function checkEnsembleDocument(doc: Document): { readonly diagnostics: Diagnostic[]; readonly ir?: EnsembleFileIR } {
  const ds: Diagnostic[] = [];
  const seen = new Map<string, Statement>();
  for (const s of doc.statements) {
    const head = s.head.name;
    if (!(TOP as readonly string[]).includes(head)) {
      ds.push(diagnostic("F0101", `an ensemble file has no section "${head}"`, s.head.span, head === "spec" || head === "model" || head === "train" || head === "dataset" ? "an ensemble names its members' specs: spec \"PATH\" inside members { }" : "an ensemble file has: ensemble NAME, members { ... }"));
      continue;
    }
    const first = seen.get(head);
    if (first) {
      ds.push(diagnostic("F0103", `${head} appears twice (first on line ${first.head.span.line})`, s.head.span, "merge them into one"));
      continue;
    }
    seen.set(head, s);
  }
  let name = "";
  const nameStmt = seen.get("ensemble");
  if (nameStmt) {
    const v = nameStmt.args[0]?.value;
    if (v?.kind === "word" || v?.kind === "string") name = v.kind === "word" ? v.name : v.value;
    else ds.push(diagnostic("F0105", "ensemble needs a name: ensemble vgg-wide-trio", nameStmt.span));
    if (nameStmt.args.length > 1) ds.push(diagnostic("F0112", "ensemble takes one name", nameStmt.args[1]!.span));
    if (nameStmt.block) ds.push(diagnostic("F0110", "ensemble does not take a block; its members go in members { ... }", nameStmt.block.open));
  }
  const membersStmt = seen.get("members");
  if (membersStmt && membersStmt.args.length > 0) ds.push(diagnostic("F0112", "members takes no arguments", membersStmt.args[0]!.span));
  if (membersStmt && !membersStmt.block) ds.push(diagnostic("F0111", "members needs a block: members { run \"PATH\"; spec \"PATH\" seeds [1, 2] }", membersStmt.span));
  const members = checkSection(ENSEMBLE_MEMBERS, membersStmt?.block, { ds }).ir.members;
  if (!membersStmt) ds.push(diagnostic("F0804", "the ensemble has no members block", doc.span.length > 0 ? { ...doc.span, length: 0, endLine: doc.span.line, endColumn: doc.span.column } : NO_SPAN, "add: members { run \"runs/<id>\" ... }"));
  else if (members.length === 0 && !hasErrors(ds)) ds.push(diagnostic("F0804", "the ensemble has no members", membersStmt.span, "add run \"runs/<id>\" or spec \"PATH\" seeds [1, 2] lines"));
  if (hasErrors(ds)) return { diagnostics: ds };
  return { diagnostics: ds, ir: { name, members } };
}

/** One member that would be averaged: a run record as it is, or a spec at one seed, to be trained. */
export interface ResolvedMember {
  readonly kind: "run" | "spec";
  /** The path as written and as resolved from the ensemble file's directory. */
  readonly written: string;
  readonly path: string;
  /** The spec's seed for a spec member (each seed is a member). */
  readonly seed?: number;
  readonly spec: SpecIR;
  /** A run member's record. */
  readonly manifest?: RunManifest;
  readonly params: number;
  readonly macs: number | null;
  readonly views: MemberViews;
  readonly span: Span;
}

export interface CheckedEnsemble {
  readonly file: string;
  readonly ok: boolean;
  readonly diagnostics: Diagnostic[];
  readonly ir?: EnsembleFileIR;
  /** Every member that could be read, in order (a spec once per seed). */
  readonly members: readonly ResolvedMember[];
  readonly totals: { readonly params: number; readonly macs: number | null; readonly macsWithViews: number | null };
}

/** What is wrong with a recorded spec.ir.json for listing it as a member (null when it will do). */
function recordedSpecProblem(v: unknown): string | null {
  if (!isObject(v) || typeof v["name"] !== "string") return "not a checked spec (no name)";
  const ds = v["dataset"], model = v["model"], totals = v["totals"];
  if (!isObject(ds) || !Array.isArray(ds["input"]) || !Array.isArray(ds["classes"]) || !isObject(ds["split"])) return "dataset is not a checked data set";
  if (!isObject(model) || !Array.isArray(model["layers"])) return "model has no layers";
  if (!isObject(totals) || typeof totals["total"] !== "number") return "no parameter totals";
  for (const k of ["augment", "train"]) if (!isObject(v[k])) return `${k} is missing`;
  return null;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function readRunMember(m: Extract<EnsembleMemberIR, { kind: "run" }>, dir: string, ds: Diagnostic[]): Promise<ResolvedMember | null> {
  let manifest: RunManifest, spec: SpecIR;
  try {
    const st = await fsp.stat(dir).catch(() => null);
    if (!st?.isDirectory()) throw new Error(`${dir}: no such run directory`);
    manifest = await readManifest(dir);
    spec = await readRecordJson<SpecIR>(path.join(dir, FILES.ir), recordedSpecProblem);
  } catch (e) {
    ds.push(diagnostic("F0801", `run ${JSON.stringify(m.path)}: ${message(e)}`, m.span));
    return null;
  }
  const checkpoint = (await resolveSwappedDir(path.join(dir, "checkpoints", "best"))) ?? (await resolveSwappedDir(path.join(dir, "checkpoints", "last")));
  if (checkpoint === null) ds.push(diagnostic("F0805", `run ${JSON.stringify(m.path)} has no checkpoint to predict with (neither checkpoints/best nor checkpoints/last)`, m.span));
  if (manifest.status === "failed") ds.push(diagnostic("F0805", `run ${JSON.stringify(m.path)} failed${manifest.message ? ` (${manifest.message})` : ""}`, m.span, "name a run that completed, or one stopped with a best checkpoint"));
  else if (manifest.status !== "completed") ds.push(diagnostic("F0805", `run ${JSON.stringify(m.path)} is ${manifest.status} (epoch ${manifest.epochsDone} of ${manifest.epochsPlanned}): its best checkpoint so far would be used`, m.span, undefined, "warning"));
  return { kind: "run", written: m.path, path: dir, spec, manifest, params: spec.totals.total, macs: memberMacs(spec), views: viewsOf(spec), span: m.span };
}

async function readSpecMember(m: Extract<EnsembleMemberIR, { kind: "spec" }>, file: string, ds: Diagnostic[]): Promise<ResolvedMember[]> {
  let text: string;
  try {
    text = await fsp.readFile(file, "utf8");
  } catch {
    ds.push(diagnostic("F0801", `spec ${JSON.stringify(m.path)}: cannot read ${file}: no such file`, m.span));
    return [];
  }
  const checked = checkAny(text, file);
  if (!checked.ok || !checked.spec) {
    const errors = checked.diagnostics.filter((d) => d.severity === "error");
    const first = errors[0];
    ds.push(diagnostic("F0802", `spec ${JSON.stringify(m.path)} has ${errors.length} error${errors.length === 1 ? "" : "s"}${first ? `, first ${first.code} at ${first.span.line}:${first.span.column}: ${first.message}` : ""}`, m.span, `ferc check ${file} shows them all`));
    return [];
  }
  if (isEnsembleText(text)) {
    ds.push(diagnostic("F0802", `spec ${JSON.stringify(m.path)} is an ensemble file, not a spec`, m.span));
    return [];
  }
  const spec = checked.spec;
  return (m.seeds ?? [spec.train.seed]).map((seed) => {
    const seeded: SpecIR = { ...spec, train: { ...spec.train, seed } };
    return { kind: "spec", written: m.path, path: file, seed, spec: seeded, params: spec.totals.total, macs: memberMacs(spec), views: viewsOf(spec), span: m.span };
  });
}

/** A data source in words, for comparing members: synthetic data by its parameters, files by kind. */
function sourceText(s: SpecIR["dataset"]["source"]): string {
  return s.kind === "synthetic" ? `synthetic data (count ${s.count}, seed ${s.seed}, noise ${s.noise})` : `a ${s.kind === "csv" ? "CSV file" : "image folder"}`;
}

/** Every member compared with the first one readable: what an ensemble needs them to share. */
function compareMembers(members: readonly ResolvedMember[], ds: Diagnostic[]): void {
  const first = members[0];
  if (!first) return;
  const a = first.spec.dataset;
  const name = (m: ResolvedMember) => `${m.kind} ${JSON.stringify(m.written)}${m.seed !== undefined && m.kind === "spec" ? ` (seed ${m.seed})` : ""}`;
  const reported = new Set<Span>();
  for (const m of members.slice(1)) {
    const b = m.spec.dataset;
    const why: string[] = [];
    if (JSON.stringify(a.classes) !== JSON.stringify(b.classes)) why.push(`its classes (${b.classes.join(" ")}) are not ${name(first)}'s (${a.classes.join(" ")})`);
    if (a.input.join("x") !== b.input.join("x")) why.push(`it takes ${b.input.join("x")} images, ${name(first)} ${a.input.join("x")}`);
    if (JSON.stringify(a.split) !== JSON.stringify(b.split)) why.push(`its splits are not ${name(first)}'s: members must be trained, selected and tested on the same splits`);
    const ha = first.manifest?.dataHash, hb = m.manifest?.dataHash;
    if (ha && hb && ha !== hb) why.push(`it was trained on other data than ${name(first)} (data hash ${hb.slice(0, 12)} vs ${ha.slice(0, 12)})`);
    else if (sourceText(a.source) !== sourceText(b.source) && (a.source.kind === "synthetic" || b.source.kind === "synthetic")) why.push(`it reads ${sourceText(b.source)}, ${name(first)} ${sourceText(a.source)}`);
    if (why.length > 0 && !reported.has(m.span)) {
      reported.add(m.span);
      ds.push(diagnostic("F0803", `${name(m)} does not fit the ensemble: ${why.join("; ")}`, m.span));
    }
  }
  const seen = new Map<string, ResolvedMember>();
  for (const m of members) {
    const key = m.kind === "run" ? `run:${m.path}` : `spec:${m.path}:${m.seed}`;
    const before = seen.get(key);
    if (before) ds.push(diagnostic("F0803", `${name(m)} is already a member (line ${before.span.line}): a member counts once`, m.span));
    else seen.set(key, m);
  }
}

/** Check an ensemble file's text and read its members. Never throws for bad input. */
export async function checkEnsembleFile(text: string, file: string): Promise<CheckedEnsemble> {
  const parsed = parse(text);
  const own = checkEnsembleDocument(parsed.document);
  const ds: Diagnostic[] = [...parsed.diagnostics, ...own.diagnostics];
  const members: ResolvedMember[] = [];
  if (own.ir && !hasErrors(parsed.diagnostics)) {
    const base = path.dirname(path.resolve(file));
    for (const m of own.ir.members) {
      const target = path.resolve(base, m.path);
      if (m.kind === "run") {
        const r = await readRunMember(m, target, ds);
        if (r) members.push(r);
      } else members.push(...(await readSpecMember(m, target, ds)));
    }
    compareMembers(members, ds);
  }
  const diagnostics = sortDiagnostics(uniqueDiagnostics(ds)).map((d) => (d.file === undefined ? { ...d, file } : d));
  const known = members.every((m) => m.macs !== null);
  return {
    file,
    ok: !hasErrors(diagnostics),
    diagnostics,
    ...(own.ir ? { ir: own.ir } : {}),
    members,
    totals: {
      params: members.reduce((a, m) => a + m.params, 0),
      macs: known ? members.reduce((a, m) => a + m.macs!, 0) : null,
      macsWithViews: known ? members.reduce((a, m) => a + m.macs! * m.views.count, 0) : null,
    },
  };
}
