/**
 * The README example (examples/snapshot.test.ts), run here against the sources: a user's suite
 * that snapshot-tests compiled graphs. The only difference is the import path ("ferc" there).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check, compile } from "../../src/index.js";

const ROOT = join(import.meta.dirname, "..", "..");
// A fixture of our own, so editing specs/ never invalidates this suite's snapshots.
const SPECS = ["test/api/fixtures/tiny.fer"];

describe.each(SPECS)("%s", (file) => {
  const text = readFileSync(join(ROOT, file), "utf8");

  it("checks cleanly, with the expected parameter count", () => {
    const r = check(text, file);
    expect(r.diagnostics).toEqual([]);
    expect(r.totals).toMatchSnapshot();
  });

  it("compiles to the same graph as before", async () => {
    const r = await compile(text, { file });
    if (!r.ok) throw new Error(r.diagnostics.map((d) => `${file}:${d.span.line}:${d.span.column} ${d.message}`).join("\n"));
    await expect(r.topology).toMatchFileSnapshot(`__snapshots__/${file.replace(/\W+/g, "_")}.model.json`);
    // Deterministic: compiling again gives the same bytes.
    const again = await compile(text, { file });
    expect(again.ok && again.topology).toBe(r.topology);
  });
});

it("the example file is this test with the package import", () => {
  const example = readFileSync(join(ROOT, "examples", "snapshot.test.ts"), "utf8");
  expect(example).toContain('import { check, compile } from "ferc";');
  expect(example).toContain("toMatchFileSnapshot");
});
