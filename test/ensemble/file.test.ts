/**
 * Ensemble files: their own statements checked as a spec's are (every problem in one pass, at
 * line:col), and their members read from disk: a spec once per seed with its parameters and
 * multiply-adds, a missing record (F0801), a spec with errors (F0802), members that do not fit
 * together (F0803), each at its member's statement.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import { checkEnsembleDocument, checkEnsembleFile } from "../../src/ensemble/file.js";
import { parse } from "../../src/syntax/parser.js";
import { TINY_SPEC } from "../cli/helpers.js";

const codes = (text: string) => checkEnsembleDocument(parse(text).document).diagnostics.map((d) => `${d.code}@${d.span.line}:${d.span.column}`);

describe("an ensemble file's own statements", () => {
  it("reads its name and members, a spec's seeds kept", () => {
    const r = checkEnsembleDocument(parse('ensemble trio\nmembers {\n  run "runs/a"\n  spec "x.fer" seeds [1, 2]\n  spec "y.fer"\n}\n').document);
    expect(r.diagnostics).toEqual([]);
    expect(r.ir!.name).toBe("trio");
    expect(r.ir!.members.map((m) => (m.kind === "spec" ? `${m.kind}:${m.path}:${m.seeds?.join(",") ?? "own"}` : `${m.kind}:${m.path}`))).toEqual(["run:runs/a", "spec:x.fer:1,2", "spec:y.fer:own"]);
  });

  it("reports every mistake at once, each where it is", () => {
    const text = [
      "ensemble trio extra", // 1: one name only
      "members {",
      '  run "runs/a"',
      '  spec "x.fer" seeds [1, 1]', // 4: a seed twice
      '  spec "y.fer" seeds [1.5]', // 5: not a whole number
      '  rum "runs/b"', // 6: unknown statement
      "  run", // 7: no path
      "}",
      "model { dense 7 softmax }", // 9: a spec's section
    ].join("\n");
    expect(codes(text).sort()).toEqual(["F0101@9:1", "F0102@6:3", "F0108@7:3", "F0112@1:15", "F0202@4:16", "F0202@5:16"]);
  });

  it("an ensemble without members is refused (F0804)", () => {
    expect(codes("ensemble x\n")).toContain("F0804@1:1");
    expect(codes("ensemble x\nmembers { }\n").some((c) => c.startsWith("F0804"))).toBe(true);
  });
});

describe("an ensemble file's members, read from disk", () => {
  const dir = mkdtempSync(join(tmpdir(), "ferc-ensemble-file-"));
  writeFileSync(join(dir, "tiny.fer"), TINY_SPEC);
  writeFileSync(join(dir, "wide.fer"), TINY_SPEC.replace("spec tiny", "spec wide").replace("conv 5x5 8", "conv 5x5 16"));
  writeFileSync(join(dir, "broken.fer"), TINY_SPEC.replace("dense 7 softmax", "dense 7 sofmax"));
  writeFileSync(join(dir, "five.fer"), TINY_SPEC.replace("spec tiny", "spec five").replace("classes angry disgust fear happy sad surprise neutral", "classes a b c d e").replace("dense 7", "dense 5"));
  mkdirSync(join(dir, "sub"));
  const tiny = checkSource(TINY_SPEC).spec!;

  it("a spec is a member per seed, each with its parameters and multiply-adds; the totals add them up", async () => {
    const text = 'ensemble pair\nmembers {\n  spec "tiny.fer" seeds [1, 2]\n  spec "wide.fer"\n}\n';
    writeFileSync(join(dir, "pair.fer"), text);
    const c = await checkEnsembleFile(text, join(dir, "pair.fer"));
    expect(c.diagnostics).toEqual([]);
    expect(c.ok).toBe(true);
    expect(c.members.map((m) => `${m.spec.name}@${m.seed}`)).toEqual(["tiny@1", "tiny@2", `wide@${tiny.train.seed}`]);
    expect(c.members.map((m) => m.spec.train.seed)).toEqual([1, 2, tiny.train.seed]);
    const wide = checkSource(TINY_SPEC.replace("conv 5x5 8", "conv 5x5 16")).spec!;
    expect(c.totals.params).toBe(2 * tiny.totals.total + wide.totals.total);
    expect(c.members[0]!.macs).toBeGreaterThan(0);
    expect(c.totals.macs).toBe(2 * c.members[0]!.macs! + c.members[2]!.macs!);
    expect(c.members[0]!.views).toEqual({ window: null, tta: "none", count: 1 });
  });

  it("paths are relative to the ensemble file's directory", async () => {
    const c = await checkEnsembleFile('ensemble one\nmembers { spec "../tiny.fer" }\n', join(dir, "sub", "one.fer"));
    expect(c.ok).toBe(true);
    expect(c.members[0]!.path).toBe(join(dir, "tiny.fer"));
  });

  it("a missing record, a missing spec, a spec with errors and a misfit are each reported at their member", async () => {
    const text = ['ensemble bad', "members {", '  spec "tiny.fer"', '  run "no-such-run"', '  spec "gone.fer"', '  spec "broken.fer"', '  spec "five.fer"', '  spec "tiny.fer"', "}"].join("\n");
    const c = await checkEnsembleFile(text, join(dir, "bad.fer"));
    expect(c.ok).toBe(false);
    const at = c.diagnostics.map((d) => `${d.code}@${d.span.line}`);
    expect(at).toEqual(expect.arrayContaining(["F0801@4", "F0801@5", "F0802@6", "F0803@7", "F0803@8"]));
    expect(c.diagnostics.find((d) => d.code === "F0802")!.message).toMatch(/1 error, first F0106 at 8:\d+: dense: unknown option "sofmax"/);
    expect(c.diagnostics.find((d) => d.code === "F0803" && d.span.line === 7)!.message).toMatch(/classes \(a b c d e\)/);
    expect(c.diagnostics.find((d) => d.code === "F0803" && d.span.line === 8)!.message).toMatch(/already a member \(line 3\)/);
    expect(c.diagnostics.every((d) => d.file === join(dir, "bad.fer"))).toBe(true);
  });

  it("members reading other data do not fit", async () => {
    writeFileSync(join(dir, "other-data.fer"), TINY_SPEC.replace("spec tiny", "spec other").replace("seed 7\n  input", "seed 8\n  input"));
    const c = await checkEnsembleFile('ensemble x\nmembers {\n  spec "tiny.fer"\n  spec "other-data.fer"\n}\n', join(dir, "x.fer"));
    expect(c.diagnostics.map((d) => d.code)).toEqual(["F0803"]);
    expect(c.diagnostics[0]!.message).toMatch(/synthetic data \(count 1400, seed 8/);
  });
});

describe("the shipped ensemble files", () => {
  it("ensembles/vgg-wide-trio.fer checks against the committed records (one of them still stopped)", async () => {
    const file = join(import.meta.dirname, "..", "..", "ensembles", "vgg-wide-trio.fer");
    const { readFileSync } = await import("node:fs");
    const c = await checkEnsembleFile(readFileSync(file, "utf8"), file);
    expect(c.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(c.members.map((m) => `${m.kind}:${m.spec.name}`)).toEqual(["run:vgg-wide", "run:vgg-wide-long", "spec:vgg-wide"]);
    expect(c.totals.params).toBe(3 * 1_176_359);
  });
});
