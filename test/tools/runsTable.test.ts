/** runs/README.md's table: both PrivateTest figures, labelled, from the records. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runsTable } from "../../src/tools/runsTable.js";

const RUNS = fileURLToPath(new URL("../../runs/", import.meta.url));
const ID = "vgg-small-20261128-234800";

describe("runs table", () => {
  const dir = mkdtempSync(join(tmpdir(), "ferc-runs-table-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("shows the run's own figure with its n and the full-test figure from full-test.json", () => {
    const rec = join(dir, "a", ID);
    for (const f of ["run.yaml", "spec.ir.json", "metrics.jsonl"]) cpSync(join(RUNS, ID, f), join(rec, f));
    writeFileSync(join(rec, "full-test.json"), JSON.stringify({ acc: 0.5, n: 3589 }));
    const row = runsTable(join(dir, "a")).split("\n").find((l) => l.includes(ID))!;
    expect(row).toContain("| 57.53% (n=3,572) | **50.00%** (n=3,589) |");
    // Multiply-adds from the recorded IR; PublicTest accuracy at the kept (best) epoch from metrics.jsonl.
    expect(row).toContain("| 141,303 | 11.6 M | wasm |");
    const best = readFileSync(join(RUNS, ID, "metrics.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { epoch: number; valAcc: number }).find((e) => e.epoch === 29)!;
    expect(row).toContain(`| ${(best.valAcc * 100).toFixed(2)}% | 57.53%`);
  });

  it("an older record without full-test.json has no full-test figure (its test split was cleaned)", () => {
    const rec = join(dir, "b", ID);
    for (const f of ["run.yaml", "spec.ir.json", "metrics.jsonl"]) cpSync(join(RUNS, ID, f), join(rec, f));
    const row = runsTable(join(dir, "b")).split("\n").find((l) => l.includes(ID))!;
    expect(row).toContain("| 57.53% (n=3,572) | – |");
  });
});
