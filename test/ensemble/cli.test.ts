/**
 * Ensembles end to end on two short real runs of generated faces that differ in everything an
 * ensemble must respect per member (preprocessing, the model's window, test-time views):
 * `ferc ensemble` writes a record whose figures `ferc eval` reproduces; `ferc predict` gives the
 * mean of the members' own predictions; the ONNX export gives predict's probabilities in
 * onnxruntime (1e-4); `ferc check`, `ferc runs`, `ferc report` and the tfjs export show it; a
 * member changed or gone since the ensemble was built is refused, naming it; an ensemble file's
 * spec members are trained as a sweep (one per seed); and a spec distils from the ensemble.
 */
import { cpSync, existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import onnxProto from "onnx-proto";
import YAML from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { ferc, TINY_SPEC } from "../cli/helpers.js";
import { CLASSES, maxAbsDiff, predictJson, tempDir, trainShort, writeFaces } from "../export/helpers.js";
import type { EnsembleManifest } from "../../src/ensemble/record.js";
import { ensembleTeacherHash } from "../../src/distill/teacher.js";

const tmp = tempDir("ensemble");
const runsDir = join(tmp, "runs");
const faces = writeFaces(tmp, 5, 303);

// Member A: standardised per image, a 44x44 centre window averaged with its mirror (tta flip).
const SPEC_A = TINY_SPEC.replace("spec tiny", "spec tiny-crop")
  .replace("preprocess { standardize per-image }", "preprocess { standardize per-image }\naugment { random-crop 44x44; flip horizontal }")
  .replace("seed 7 }", "seed 7; tta flip }");
// Member B: scaled to [0, 1], the whole image, no test-time views.
const SPEC_B = TINY_SPEC.replace("spec tiny", "spec tiny-scale").replace("preprocess { standardize per-image }", "preprocess { scale }").replace("conv 5x5 8", "conv 3x3 6").replace("seed 7 }", "seed 3 }");

const probs = (faceResult: { probabilities: Record<string, number> }): number[] => CLASSES.map((c) => faceResult.probabilities[c]!);
const manifestOf = (dir: string): EnsembleManifest => YAML.parse(readFileSync(join(dir, "ensemble.yaml"), "utf8")) as EnsembleManifest;

async function ortProbabilities(file: string, pixels: readonly Uint8Array[]): Promise<number[][]> {
  const session = await ort.InferenceSession.create(file);
  const x = new Float32Array(pixels.length * 48 * 48);
  pixels.forEach((p, i) => x.set(p, i * 48 * 48));
  const out = await session.run({ pixels: new ort.Tensor("float32", x, [pixels.length, 48, 48, 1]) });
  const data = Array.from(out["probabilities"]!.data as Float32Array);
  return pixels.map((_, i) => data.slice(i * 7, (i + 1) * 7));
}

describe("ferc ensemble of two run records", () => {
  let a = "", b = "", ens = "";

  beforeAll(async () => {
    writeFileSync(join(tmp, "a.fer"), SPEC_A);
    writeFileSync(join(tmp, "b.fer"), SPEC_B);
    a = await trainShort(join(tmp, "a.fer"), runsDir, 1);
    b = await trainShort(join(tmp, "b.fer"), runsDir, 1);
    const r = await ferc(["ensemble", a, b, "--name", "pair", "--runs-dir", runsDir], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    ens = /^pair → (\S+)$/m.exec(r.stdout)![1]!;
  }, 240_000);

  it("writes a record naming each member with its hash, views, cost and figures, and the protocol", () => {
    const m = manifestOf(ens);
    expect(m.kind).toBe("ensemble");
    expect(m.members.map((x) => x.runId)).toEqual([a, b].map((d) => d.split("/").pop()));
    expect(m.members.map((x) => x.views)).toEqual([{ window: [44, 44], tta: "flip", count: 2 }, { window: null, tta: "none", count: 1 }]);
    for (const x of m.members) expect(x.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(m.members[0]!.dir.relative).toBe(`../${m.members[0]!.runId}`);
    const irA = JSON.parse(readFileSync(join(a, "spec.ir.json"), "utf8")) as { totals: { total: number } };
    const irB = JSON.parse(readFileSync(join(b, "spec.ir.json"), "utf8")) as { totals: { total: number } };
    expect(m.totals.params).toBe(irA.totals.total + irB.totals.total);
    expect(m.totals.macsWithViews).toBe(2 * m.members[0]!.macs! + m.members[1]!.macs!);
    expect(m.test!.n).toBe(140);
    expect(m.protocol.test).toMatch(/evaluated once/);
    expect(m.protocol.averaging.split).toBe("none");
    // Each member alone, from the same pass, is its own record's figure (nothing re-chosen).
    const own = YAML.parse(readFileSync(join(a, "run.yaml"), "utf8")) as { test: { acc: number } };
    expect(m.members[0]!.test!.acc).toBeCloseTo(own.test.acc, 10);
    for (const f of ["ensemble.fer", "report.json", "report.md", "confusion.svg"]) expect(existsSync(join(ens, f))).toBe(true);
  });

  it("ferc eval reproduces the recorded figures, the ensemble's and each member's", async () => {
    const r = await ferc(["eval", ens, "--split", "test", "--json"], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { acc: number; loss: number; n: number; members: { acc: number }[] };
    const m = manifestOf(ens);
    expect(out.acc).toBe(m.test!.acc);
    expect(out.loss).toBeCloseTo(m.test!.loss, 6);
    expect(out.members.map((x) => x.acc)).toEqual(m.members.map((x) => x.test!.acc));
    const tta = await ferc(["eval", ens, "--tta", "flip"]);
    expect(tta.code).toBe(2);
    expect(tta.stderr).toMatch(/each member averages its own test-time views/);
  }, 120_000);

  it("ferc predict gives the mean of the members' own predictions (each with its window and views)", async () => {
    const [ea, eb, ee] = await Promise.all([predictJson(a, faces.paths), predictJson(b, faces.paths), predictJson(ens, faces.paths)]);
    for (let i = 0; i < faces.paths.length; i++) {
      const pa = probs(ea[i]!.faces[0]!), pb = probs(eb[i]!.faces[0]!), pe = probs(ee[i]!.faces[0]!);
      const mean = pa.map((v, j) => (v + pb[j]!) / 2);
      expect(maxAbsDiff(pe, mean)).toBeLessThan(1e-6);
      // The members really disagree, so a mean is not one of them.
      expect(maxAbsDiff(pa, pb)).toBeGreaterThan(1e-3);
      expect(ee[i]!.faces[0]!.top).toBe(CLASSES[mean.indexOf(Math.max(...mean))]);
    }
  }, 120_000);

  it("ferc export --to onnx: one graph averaging the members, onnxruntime within 1e-4 of ferc predict", async () => {
    const file = join(tmp, "pair.onnx");
    const r = await ferc(["export", ens, "--to", "onnx", "-o", file], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const expected = await predictJson(ens, faces.paths);
    const got = await ortProbabilities(file, faces.pixels);
    const worst = Math.max(...expected.map((e, i) => maxAbsDiff(probs(e.faces[0]!), got[i]!)));
    expect(worst).toBeLessThan(1e-4);
    const model = onnxProto.onnx.ModelProto.decode(readFileSync(file));
    const nodes = model.graph!.node!;
    expect(nodes.filter((n) => n.opType === "Mean").map((n) => n.input!.length)).toEqual([2]);
    expect(nodes.some((n) => n.name!.startsWith("m1/")) && nodes.some((n) => n.name!.startsWith("m2/"))).toBe(true);
    // Member 1's views (a window, mirrored) and member 2's preprocessing (scale) are in the graph.
    expect(nodes.some((n) => n.name!.startsWith("m1/") && n.opType === "Slice")).toBe(true);
    expect(nodes.some((n) => n.name!.startsWith("m2/") && n.opType === "Div" && n.name!.includes("preprocess1.scale"))).toBe(true);
    const meta = Object.fromEntries(model.metadataProps!.map((p) => [p.key, p.value]));
    expect((JSON.parse(meta["members"]!) as { hash: string }[]).map((x) => x.hash)).toEqual(manifestOf(ens).members.map((x) => x.hash));
  }, 120_000);

  it("ferc export --to tfjs: the ensemble's manifest and one ordinary export per member", async () => {
    const out = join(tmp, "pair-tfjs");
    const r = await ferc(["export", ens, "--to", "tfjs", "-o", out], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const top = JSON.parse(readFileSync(join(out, "preprocess.json"), "utf8")) as { format: string; members: { dir: string }[]; classes: string[] };
    expect(top.format).toBe("ferc-tfjs-ensemble");
    expect(top.members.map((x) => x.dir)).toEqual(["m1", "m2"]);
    expect(top.classes).toEqual([...CLASSES]);
    for (const d of ["m1", "m2"]) {
      expect(readdirSync(join(out, d)).sort()).toEqual(["model.json", "preprocess.json", "weights.bin"]);
      expect((JSON.parse(readFileSync(join(out, d, "preprocess.json"), "utf8")) as { format: string }).format).toBe("ferc-tfjs");
    }
    // An earlier export is replaced only with --force, as for a run's export.
    const refused = await ferc(["export", ens, "--to", "tfjs", "-o", out], { timeoutMs: 120_000 });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/holds an earlier export; --force replaces it/);
    const again = await ferc(["export", ens, "--to", "tfjs", "-o", out, "--force"], { timeoutMs: 120_000 });
    expect(again.code, again.stderr).toBe(0);
  }, 120_000);

  it("ferc check of the record's ensemble file lists the members and the totals", async () => {
    const r = await ferc(["check", join(ens, "ensemble.fer")]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/\(ensemble pair\): 2 members/);
    expect(r.stdout).toMatch(/44x44 centre, mirrored \(2 views\)/);
    const m = manifestOf(ens);
    expect(r.stdout).toContain(`Total params:   ${m.totals.params.toLocaleString("en-US")} (2 members)`);
    const json = JSON.parse((await ferc(["check", "--format", "json", join(ens, "ensemble.fer")])).stdout) as { kind: string; members: { params: number; macs: number }[]; totals: { params: number; macs: number } };
    expect(json.kind).toBe("ensemble");
    expect(json.members.map((x) => x.params)).toEqual(m.members.map((x) => x.params));
    expect(json.totals.macs).toBe(m.totals.macs);
  });

  it("ferc runs and ferc report show the ensemble", async () => {
    const runs = await ferc(["runs", runsDir]);
    expect(runs.code).toBe(0);
    expect(runs.stdout).toMatch(new RegExp(`${ens.split("/").pop()}\\s+pair\\s+ensemble\\s+\\S+\\s+2 members`));
    const rows = JSON.parse((await ferc(["runs", runsDir, "--json"])).stdout) as { spec: string; test: { acc: number } | null; ensemble?: { members: number } }[];
    const row = rows.find((x) => x.spec === "pair")!;
    expect(row.ensemble!.members).toBe(2);
    expect(row.test!.acc).toBe(manifestOf(ens).test!.acc);
    const md = await ferc(["report", ens]);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# pair — ensemble /);
    expect(md.stdout).toMatch(/\| \| \*\*ensemble\*\* \(mean of 2\)/);
    const html = await ferc(["report", ens, "--html", "-o", join(tmp, "pair.html")]);
    expect(html.code).toBe(0);
    expect(readFileSync(join(tmp, "pair.html"), "utf8")).toContain("<table class=\"confusion\"");
    expect((await ferc(["report", ens, a])).code).toBe(2);
  });

  it("a member changed or gone since the ensemble was built is refused, naming it (exit 2)", async () => {
    // A copy of the runs folder: the record finds its members beside it, as recorded.
    const copy = join(tmp, "copy");
    cpSync(runsDir, copy, { recursive: true });
    const ensCopy = join(copy, ens.split("/").pop()!);
    const memberB = join(copy, b.split("/").pop()!);
    const ok = await ferc(["eval", ensCopy, "--json"], { timeoutMs: 120_000 });
    expect(ok.code, ok.stderr).toBe(0);
    const weights = join(memberB, "checkpoints", "best", "weights.bin");
    const bytes = readFileSync(weights);
    bytes[10] = bytes[10]! ^ 0xff;
    writeFileSync(weights, bytes);
    for (const cmd of [["eval", ensCopy], ["predict", ensCopy, faces.paths[0]!], ["export", ensCopy, "--to", "onnx", "-o", join(tmp, "x.onnx")]]) {
      const r = await ferc(cmd, { timeoutMs: 120_000 });
      expect(r.code, `${cmd[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/member 2 \(.*\) changed since the ensemble was built/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    // Not beside the record any more: found at its absolute path (the original, intact).
    renameSync(memberB, `${memberB}-moved`);
    const elsewhere = await ferc(["eval", ensCopy, "--json"], { timeoutMs: 120_000 });
    expect(elsewhere.code, elsewhere.stderr).toBe(0);
    // Nowhere: refused, naming where it was looked for.
    const yamlFile = join(ensCopy, "ensemble.yaml");
    const m = YAML.parse(readFileSync(yamlFile, "utf8")) as { members: { dir: { absolute: string } }[] };
    m.members[1]!.dir.absolute = join(tmp, "moved-away");
    writeFileSync(yamlFile, YAML.stringify(m));
    const gone = await ferc(["eval", ensCopy]);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`member 2 (${join(tmp, "moved-away")}): ${join(tmp, "moved-away")}: no such run directory`);
  }, 240_000);

  it("refuses members that do not fit together, all of them at once", async () => {
    writeFileSync(join(tmp, "five.fer"), TINY_SPEC.replace("spec tiny", "spec five").replace("classes angry disgust fear happy sad surprise neutral", "classes a b c d e").replace("dense 7", "dense 5"));
    const five = await trainShort(join(tmp, "five.fer"), join(tmp, "other-runs"), 1);
    const r = await ferc(["ensemble", a, five, join(tmp, "nowhere"), a, "--runs-dir", join(tmp, "other-runs")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot build the ensemble: 4 problems/);
    expect(r.stderr).toMatch(/member 2 .*its classes are a b c d e/);
    // Five-class synthetic faces are other data, too.
    expect(r.stderr).toMatch(/member 2 .*trained on other data/);
    expect(r.stderr).toMatch(/member 3 .*no such run directory/);
    expect(r.stderr).toMatch(/member 4 .*the same record as member 1/);
  }, 120_000);

  it("--select greedy chooses members on the validation split, records every candidate and step, and tests only the chosen", async () => {
    const selRuns = join(tmp, "select-runs");
    const r = await ferc(["ensemble", b, a, "--select", "greedy", "--name", "chosen", "--runs-dir", selRuns], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^chosen on \S+ \(greedy, val\.acc\) among 2 candidates: /m);
    const dir = /^chosen → (\S+)$/m.exec(r.stdout)![1]!;
    const m = manifestOf(dir);
    const sel = m.selection!;
    expect(sel.candidates.map((c) => c.runId)).toEqual([b, a].map((d) => d.split("/").pop()));
    // The first step is the better candidate alone (accuracy, then loss), as the candidates' own val figures say.
    const [cb, ca] = sel.candidates;
    const bestAlone = ca!.val.acc > cb!.val.acc || (ca!.val.acc === cb!.val.acc && ca!.val.loss < cb!.val.loss) ? ca! : cb!;
    expect(sel.steps[0]!.added).toBe(bestAlone.runId);
    expect(sel.steps[0]!.val.acc).toBe(bestAlone.val.acc);
    // The members are the steps, in order; a second step exists only if it raised the accuracy.
    expect(m.members.map((x) => x.runId)).toEqual(sel.steps.map((st) => st.added));
    if (sel.steps.length === 2) expect(sel.steps[1]!.val.acc).toBeGreaterThan(sel.steps[0]!.val.acc);
    expect(m.val!.acc).toBe(sel.steps.at(-1)!.val.acc);
    expect(m.protocol.members).toMatchObject({ split: "val", monitor: "val.acc" });
    // Only the chosen members were tested; the candidates' test figures appear nowhere.
    expect(m.members.every((x) => x.test !== undefined)).toBe(true);
    for (const c of sel.candidates) {
      expect(c.val.split).toBe(m.val!.split);
      expect(Object.keys(c)).not.toContain("test");
    }
    const source = readFileSync(join(dir, "ensemble.fer"), "utf8");
    expect(source.match(/^  run /gm)).toHaveLength(m.members.length);
    expect(source).toMatch(/# written by ferc ensemble: the members it chose with --select greedy .* among the 2 run records/);
    expect(readFileSync(join(dir, "report.md"), "utf8")).toMatch(/## Selection[\s\S]*greedy forward selection on \S+[\s\S]*1\. start from/);
    const e = await ferc(["eval", dir, "--split", "test", "--json"], { timeoutMs: 120_000 });
    expect(e.code, e.stderr).toBe(0);
    expect((JSON.parse(e.stdout) as { acc: number }).acc).toBeCloseTo(m.test!.acc, 10);
    const bad = await ferc(["ensemble", a, b, "--select", "best"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--select/);
  }, 240_000);

  it("--select greedy-loss chooses by validation loss and says so in the record, its protocol and its report", async () => {
    const r = await ferc(["ensemble", a, b, "--select", "greedy-loss", "--name", "by-loss", "--runs-dir", join(tmp, "select-loss-runs")], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^chosen on \S+ \(greedy-loss, val\.loss\) among 2 candidates: \S+ [\d.]+% \(loss [\d.]+\)/m);
    const dir = /^by-loss → (\S+)$/m.exec(r.stdout)![1]!;
    const m = manifestOf(dir);
    const sel = m.selection!;
    expect(sel).toMatchObject({ method: "greedy-loss", monitor: "val.loss" });
    expect(m.protocol.members).toMatchObject({ split: "val", monitor: "val.loss" });
    // The first member is the lower loss alone; a second one only if it lowered the mean's loss.
    const lowest = [...sel.candidates].sort((x, y) => x.val.loss - y.val.loss)[0]!;
    expect(sel.steps[0]!.added).toBe(lowest.runId);
    if (sel.steps.length === 2) expect(sel.steps[1]!.val.loss).toBeLessThan(sel.steps[0]!.val.loss);
    expect(m.members.map((x) => x.runId)).toEqual(sel.steps.map((st) => st.added));
    expect(readFileSync(join(dir, "report.md"), "utf8")).toMatch(/greedy-loss forward selection on \S+ \(val\.loss\)[\s\S]*stop: no (remaining candidate lowers the loss|candidate left)/);
  }, 240_000);

  it("a spec distils from the ensemble: the teacher's hash in run.yaml, its targets cached for the next run", async () => {
    const m = manifestOf(ens);
    const student = TINY_SPEC.replace("spec tiny", "spec student").replace("seed 7 }", `seed 9; distill "runs/${ens.split("/").pop()}" temperature 3 weight 0.8 }`);
    writeFileSync(join(tmp, "student.fer"), student);
    const env = { FERC_CACHE_DIR: join(tmp, "cache") };
    const first = await ferc(["run", join(tmp, "student.fer"), "--runs-dir", join(tmp, "students"), "--epochs", "1", "--plain"], { env, timeoutMs: 120_000 });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/distill: teacher \.\.\/\.\.\/runs\/pair-\S+ \(ensemble of 2, targets computed\), temperature 3, weight 0\.8/);
    const dir = /run (\S+)\s*$/m.exec(first.stdout)![1]!;
    const d = (YAML.parse(readFileSync(join(dir, "run.yaml"), "utf8")) as { distill: { teacherHash: string; targets: string; kind: string } }).distill;
    expect(d.teacherHash).toBe(ensembleTeacherHash(m.members.map((x) => x.hash)));
    expect(d.kind).toBe("ensemble");
    expect(existsSync(join(tmp, "cache", "distill", `${d.targets}.f32`))).toBe(true);
    expect(readFileSync(join(dir, "report.md"), "utf8")).toMatch(/distilled from: .*ensemble of 2.*temperature 3, weight 0\.8/);
    const second = await ferc(["run", join(tmp, "student.fer"), "--runs-dir", join(tmp, "students"), "--epochs", "1", "--plain"], { env, timeoutMs: 120_000 });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/targets from the cache/);
    // Resuming would refuse a teacher that changed since the run recorded its hash.
    const { teacherTargets } = await import("../../src/distill/targets.js");
    const train = { n: 1, height: 48, width: 48, channels: 1, pixels: new Uint8Array(48 * 48), labels: new Uint8Array(1) };
    const expectations = { buildModel: () => { throw new Error("not reached"); }, cacheDir: join(tmp, "cache"), classes: [...CLASSES], input: [48, 48, 1] as const, dataHash: "" };
    await expect(teacherTargets(ens, train, { ...expectations, expectHash: `sha256:${"0".repeat(64)}` })).rejects.toThrow(/changed since this run started/);
    await expect(teacherTargets(ens, train, { ...expectations, classes: ["a", "b"] })).rejects.toThrow(/cannot teach this spec: its classes are angry/);
    writeFileSync(join(tmp, "lost.fer"), student.replace(/distill "[^"]+"/, 'distill "runs/none"'));
    const lost = await ferc(["run", join(tmp, "lost.fer"), "--epochs", "1", "--runs-dir", join(tmp, "students")]);
    expect(lost.code).toBe(2);
    expect(lost.stderr).toMatch(/train\.distill: .*runs\/none is not a run or ensemble record/);
  }, 240_000);
});

describe("ferc ensemble FILE: spec members trained as one sweep, one per seed", () => {
  it("trains each seed, builds the record from the trials, and checks first", async () => {
    const dir = tempDir("ensemble-file");
    writeFileSync(join(dir, "m.fer"), TINY_SPEC);
    writeFileSync(join(dir, "two.fer"), 'ensemble two-seeds\nmembers {\n  spec "m.fer" seeds [1, 2]\n}\n');
    const r = await ferc(["ensemble", join(dir, "two.fer"), "--epochs", "1", "--limit", "300", "--runs-dir", join(dir, "runs"), "--sweeps-dir", join(dir, "sweeps"), "--jobs", "2"], { timeoutMs: 240_000 });
    expect(r.code, r.stderr).toBe(0);
    const rec = /^two-seeds → (\S+)$/m.exec(r.stdout)![1]!;
    const m = manifestOf(rec);
    expect(m.file).toBe(join(dir, "two.fer"));
    expect(m.sweep).toBeDefined();
    const seeds = m.members.map((x) => (YAML.parse(readFileSync(join(rec, x.dir.relative, "run.yaml"), "utf8")) as { seed: number }).seed);
    expect(seeds).toEqual([1, 2]);
    expect(m.members[0]!.hash).not.toBe(m.members[1]!.hash);
    const sweep = YAML.parse(readFileSync(join(m.sweep!.absolute, "sweep.yaml"), "utf8")) as { trials: { status: string }[]; ensemble: { name: string } };
    expect(sweep.trials.map((t) => t.status)).toEqual(["completed", "completed"]);
    expect(sweep.ensemble.name).toBe("two-seeds");
    // An ensemble file with errors trains nothing.
    writeFileSync(join(dir, "bad.fer"), 'ensemble bad\nmembers {\n  spec "missing.fer" seeds [1]\n}\n');
    const bad = await ferc(["ensemble", join(dir, "bad.fer"), "--sweeps-dir", join(dir, "sweeps2")]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/F0801/);
    expect(existsSync(join(dir, "sweeps2"))).toBe(false);
  }, 300_000);
});
