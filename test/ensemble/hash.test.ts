/**
 * A member's hash covers exactly what its predictions depend on: the spec as run, the
 * preprocessing statistics and the checkpoint's model and weights. Changing any of them changes
 * it; the report, metrics or another checkpoint do not; a missing checkpoint is a RecordError.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { memberHash } from "../../src/ensemble/hash.js";

function fakeRecord(): string {
  const dir = mkdtempSync(join(tmpdir(), "ferc-member-hash-"));
  for (const kind of ["best", "last"]) {
    mkdirSync(join(dir, "checkpoints", kind), { recursive: true });
    writeFileSync(join(dir, "checkpoints", kind, "model.json"), JSON.stringify({ modelTopology: { kind }, weightsManifest: [{ paths: ["weights.bin"], weights: [{ name: "w", shape: [2], dtype: "float32" }] }] }));
    writeFileSync(join(dir, "checkpoints", kind, "weights.bin"), Buffer.from(kind === "best" ? [1, 2, 3, 4, 5, 6, 7, 8] : [8, 7, 6, 5, 4, 3, 2, 1]));
  }
  writeFileSync(join(dir, "spec.ir.json"), JSON.stringify({ name: "x" }));
  writeFileSync(join(dir, "preprocess.json"), JSON.stringify({ version: 1 }));
  writeFileSync(join(dir, "report.md"), "# x\n");
  writeFileSync(join(dir, "metrics.jsonl"), "{}\n");
  return dir;
}

describe("memberHash", () => {
  it("is a sha256 that stays the same for the same files and differs between checkpoints", async () => {
    const dir = fakeRecord();
    const h = await memberHash(dir, "best");
    expect(h).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await memberHash(dir, "best")).toBe(h);
    expect(await memberHash(dir, "last")).not.toBe(h);
  });

  it.each([
    ["checkpoints/best/weights.bin", (b: Buffer) => Buffer.from(b.map((v, i) => (i === 3 ? v ^ 1 : v)))],
    ["checkpoints/best/model.json", (b: Buffer) => Buffer.from(b.toString().replace("best", "bezt"))],
    ["preprocess.json", (b: Buffer) => Buffer.from(b.toString().replace("1", "2"))],
    ["spec.ir.json", (b: Buffer) => Buffer.from(b.toString().replace('"x"', '"y"'))],
  ])("changes when %s changes", async (file, edit) => {
    const dir = fakeRecord();
    const before = await memberHash(dir, "best");
    writeFileSync(join(dir, file), edit(readFileSync(join(dir, file))));
    expect(await memberHash(dir, "best")).not.toBe(before);
  });

  it("does not depend on the report, the metrics or the other checkpoint", async () => {
    const dir = fakeRecord();
    const before = await memberHash(dir, "best");
    writeFileSync(join(dir, "report.md"), "# edited\n");
    writeFileSync(join(dir, "metrics.jsonl"), "");
    writeFileSync(join(dir, "checkpoints", "last", "weights.bin"), Buffer.from([0]));
    expect(await memberHash(dir, "best")).toBe(before);
  });

  it("frames each file by name and length, so moving bytes between files changes it", async () => {
    const a = fakeRecord(), b = fakeRecord();
    writeFileSync(join(a, "spec.ir.json"), "ab");
    writeFileSync(join(a, "preprocess.json"), "c");
    writeFileSync(join(b, "spec.ir.json"), "a");
    writeFileSync(join(b, "preprocess.json"), "bc");
    expect(await memberHash(a, "best")).not.toBe(await memberHash(b, "best"));
  });

  it("a missing checkpoint or file is a RecordError naming it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ferc-member-hash-"));
    await expect(memberHash(dir, "best")).rejects.toMatchObject({ name: "RecordError", message: expect.stringContaining(join(dir, "checkpoints", "best")) });
    const rec = fakeRecord();
    rmSync(join(rec, "preprocess.json"));
    await expect(memberHash(rec, "best")).rejects.toMatchObject({ name: "RecordError", message: expect.stringMatching(/preprocess\.json is missing/) });
  });
});
