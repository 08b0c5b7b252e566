/**
 * Training an ensemble's spec members with the sweep machinery: one sweep whose trials are the
 * members to train (each spec at each of its seeds, resolved as `ferc show --resolved` prints it),
 * run by the local or the Slurm executor, resumable with `ferc sweep --resume` or
 * `ferc ensemble --resume`. `sweep.yaml` also says which ensemble the trials are for (its file,
 * its members in order, where the record goes), so the record can be built once they are done.
 */
import { promises as fsp } from "node:fs";
import * as path from "node:path";
import { resolvedText } from "../show/resolved.js";
import type { SpecIR } from "../ir.js";
import { safeName, stamp } from "../run/layout.js";
import { createSweepDir } from "../sweep/create.js";
import { writeSweepState, type EnsembleOfSweep, type SweepState, type TrialState } from "../sweep/state.js";
import { makeDirs } from "../util/mkdirs.js";
import { withAbsoluteRecordPaths } from "../distill/paths.js";
import type { CheckedEnsemble, ResolvedMember } from "./file.js";

export interface MemberSweepOptions {
  readonly sweepsDir: string;
  readonly runsDir: string;
  readonly executor: SweepState["executor"];
  /** `ferc run` options for every trial; `data` absolute (trials run elsewhere). */
  readonly run: Readonly<Record<string, string | number | boolean>>;
  readonly now?: Date;
}

/** `spec ../specs/vgg-wide.fer seed 2`: a trial's change, as the sweep tables show it. */
const memberText = (m: ResolvedMember): string => `spec ${m.written} seed ${m.seed}`;

/** The data every spec member reads (absolute; "synthetic"), or why they do not read the same. */
export function specMembersData(members: readonly ResolvedMember[]): { readonly data?: string } | { readonly problem: string } {
  const sources = new Map<string, ResolvedMember>();
  for (const m of members.filter((x) => x.kind === "spec")) {
    const s = m.spec.dataset.source;
    const key = s.kind === "synthetic" ? "synthetic" : path.resolve(path.dirname(m.path), s.path);
    if (!sources.has(key)) sources.set(key, m);
  }
  if (sources.size > 1) return { problem: `the spec members read different data (${[...sources.keys()].join(", ")}): give --data PATH for all of them` };
  const only = [...sources.keys()][0];
  return only === undefined || only === "synthetic" ? {} : { data: only };
}

/** Write the sweep of the members to train (at least one). */
export async function planMemberSweep(c: CheckedEnsemble & { readonly ir: NonNullable<CheckedEnsemble["ir"]> }, o: MemberSweepOptions): Promise<{ dir: string; state: SweepState }> {
  const now = o.now ?? new Date();
  await makeDirs(o.sweepsDir);
  const dir = await createSweepDir(o.sweepsDir, `${safeName(c.ir.name)}-members-${stamp(now)}`);
  const id = path.basename(dir);
  const trials: TrialState[] = [];
  const members: EnsembleOfSweep["members"][number][] = [];
  for (const m of c.members) {
    if (m.kind === "run") {
      members.push({ kind: "run", dir: path.resolve(m.path) });
      continue;
    }
    const tid = `t${trials.length + 1}`;
    const rel = path.join("trials", tid, "spec.fer");
    await makeDirs(path.join(dir, "trials", tid));
    // The trial is the member's spec at its seed, resolved (every default written out), without a sweep section.
    const { sweep: _sweep, ...spec }: SpecIR = m.spec;
    await fsp.writeFile(path.join(dir, rel), `# member ${tid} of ensemble ${c.ir.name} (${c.file}): ${memberText(m)}\n${resolvedText(withAbsoluteRecordPaths(spec, m.path))}`);
    trials.push({ id: tid, assignment: { member: `${m.written} seed ${m.seed}` }, changes: [memberText(m)], params: m.params, spec: rel, status: "pending", attempts: 0, wallMs: 0 });
    members.push({ kind: "trial", id: tid });
  }
  const state: SweepState = {
    sweepVersion: 1,
    id,
    spec: c.ir.name,
    specFile: c.file,
    createdAt: now.toISOString(),
    rankedBy: "val.acc",
    sampling: { mode: "grid" },
    vary: [{ path: "member", values: trials.map((t) => t.assignment["member"]!) }],
    run: o.run,
    executor: o.executor,
    trials,
    ensemble: { name: c.ir.name, file: path.resolve(c.file), source: await fsp.readFile(c.file, "utf8"), members, runsDir: path.resolve(o.runsDir) },
  };
  await writeSweepState(dir, state);
  return { dir, state };
}

/** The member run records in order, once every trial has one (else what is missing). */
export function memberDirs(sweepDir: string, s: SweepState): { readonly dirs: string[] } | { readonly unfinished: string[] } {
  const e = s.ensemble!;
  const byId = new Map(s.trials.map((t) => [t.id, t]));
  const unfinished: string[] = [];
  const dirs = e.members.map((m) => {
    if (m.kind === "run") return m.dir;
    const t = byId.get(m.id);
    if (!t || t.status !== "completed" || !t.runDir) {
      unfinished.push(`${m.id} (${t?.changes.join("; ") ?? "?"}): ${t?.status ?? "missing"}${t?.message ? `, ${t.message}` : ""}`);
      return "";
    }
    return path.join(sweepDir, t.runDir);
  });
  return unfinished.length > 0 ? { unfinished } : { dirs };
}
