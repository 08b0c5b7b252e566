/** `ferc runs`: the committed records as a table, sorted, filtered, as JSON; damaged records as rows. */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ferc, REPO } from "./helpers.js";
import { listRuns, sortRuns, specFilter } from "../../src/run/runsIndex.js";

const COMMITTED = ["vgg-small-20261128-234800", "vgg-small-20261128-235017", "vgg-plus-20261129-000635", "vgg-plus-long-20261129-011856", "vgg-wide-20261201-094313", "vgg-wide-20261201-105427", "vgg-wide-long-20261201-120627"];

describe("ferc runs", () => {
  it("lists the committed records with the FER2013 split names, oldest first", async () => {
    const r = await ferc(["runs", "runs/"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^id\s+spec\s+status\s+backend\s+epochs\s+time\s+PublicTest acc\s+PrivateTest acc \(n\)\s+params$/);
    expect(lines.slice(1, 1 + COMMITTED.length).map((l) => l.split(/\s+/)[0])).toEqual(COMMITTED);
    // vgg-wide's second run: 60 epochs (best 47), PublicTest 67.04% at the kept epoch, 68.15% on all 3,589 PrivateTest images.
    expect(r.stdout).toMatch(/vgg-wide-20261201-105427 +vgg-wide +completed +wasm +60\/60 \(best 47\) +\S+ +67\.04% +68\.15% \(3,589\) +1,176,359/);
    expect(r.stdout).toMatch(/vgg-wide-long-20261201-120627 +vgg-wide-long +/);
    expect(r.stdout).toContain("overrides:\n");
  });

  it("--sort val.acc puts the best validation accuracy first; --spec filters by name (exactly, or with *)", async () => {
    const rows = await listRuns(join(REPO, "runs"));
    // Highest PublicTest first, whatever records are committed (a run in progress moves its own).
    const byVal = sortRuns(rows, "val.acc").map((r) => r.val?.acc ?? -1);
    expect(byVal).toEqual([...byVal].sort((a, b) => b - a));
    expect(byVal[0]).toBeGreaterThan(0.66);
    const byTest = sortRuns(rows, "test.acc").map((r) => r.test?.acc ?? -1);
    expect(byTest).toEqual([...byTest].sort((a, b) => b - a));
    expect(rows.filter(specFilter("vgg-wide")).map((r) => r.id)).toEqual(["vgg-wide-20261201-094313", "vgg-wide-20261201-105427", "vgg-wide-20261205-015058"]);
    expect(rows.filter(specFilter("vgg-wide*")).length).toBeGreaterThanOrEqual(3);
  });

  it("--json prints the rows, filtered", async () => {
    const wide = await ferc(["runs", "runs", "--spec", "vgg-wide", "--sort", "test.acc", "--json"]);
    const rows = JSON.parse(wide.stdout) as { id: string; spec: string; test: { split: string; acc: number; n: number } | null; params: number }[];
    expect(rows.map((x) => x.id)).toEqual(["vgg-wide-20261205-015058", "vgg-wide-20261201-105427", "vgg-wide-20261201-094313"]);
    expect(rows[0]!.test).toMatchObject({ split: "PrivateTest", n: 3589 });
    expect(rows[0]!.test!.acc).toBeCloseTo(0.6890, 4);
    expect(rows[0]!.params).toBe(1176359);
  });

  it("a damaged record is a row saying why; a bad --sort or folder is a usage error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ferc-runs-"));
    const good = join(dir, COMMITTED[0]!);
    mkdirSync(good);
    for (const f of ["run.yaml", "spec.ir.json", "metrics.jsonl", "report.json"]) copyFileSync(join(REPO, "runs", COMMITTED[0]!, f), join(good, f));
    mkdirSync(join(dir, "broken-20261201-000000"));
    writeFileSync(join(dir, "broken-20261201-000000", "run.yaml"), "status: [\n");
    const r = await ferc(["runs", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/broken-20261201-000000 +\? +damaged/);
    expect(r.stdout).toMatch(/cannot read:\n {2}broken-20261201-000000: .*run\.yaml is damaged/);
    expect(r.stdout).toMatch(/vgg-small-20261128-234800 +vgg-small +completed/);
    expect((await ferc(["runs", dir, "--sort", "accuracy"])).code).toBe(2);
    const missing = await ferc(["runs", join(dir, "nope")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such directory");
  });
});
