/** runs/README.md's table: both PrivateTest figures, labelled, from the records. */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import YAML from "yaml";
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

  it("an ensemble record is a row: its members by spec, total params, multiply-adds and training time, its figures", () => {
    const id = "trio-20261202-101500";
    const rec = join(dir, "c", id);
    mkdirSync(rec, { recursive: true });
    const member = (spec: string, params: number, macs: number) => ({ runId: `${spec}-20261201-000000`, spec, params, macs, trainingMs: 3_600_000, views: { window: null, tta: "none", count: 1 } });
    writeFileSync(join(rec, "ensemble.yaml"), YAML.stringify({
      kind: "ensemble", name: "trio", runId: id, createdAt: "2026-12-02T10:15:00.000Z", backend: "wasm",
      members: [member("vgg-wide", 1_176_359, 94_300_000), member("vgg-wide", 1_176_359, 94_300_000), member("vgg-plus-long", 592_407, 30_000_000)],
      totals: { params: 2_945_125, macs: 218_600_000, trainingMs: 3 * 3_600_000 },
      val: { split: "PublicTest", acc: 0.6707, loss: 0.9, n: 3562 },
      test: { split: "PrivateTest", acc: 0.6927, loss: 0.85, macroF1: 0.66, n: 3589 },
    }));
    const row = runsTable(join(dir, "c")).split("\n").find((l) => l.includes(id))!;
    expect(row).toContain(`[${id}](${id}/report.md): ensemble of 3 (vgg-wide ×2, vgg-plus-long)`);
    expect(row).toContain("| 2,945,125 | 218.6 M | wasm | 3 members (mean of probabilities) | 3h00m (members' sum) | 67.07% | 69.27% (n=3,589) | **69.27%** (n=3,589) | 0.8500 | 0.660 |");
  });
});
