/**
 * Snapshot-testing compiled graphs in your own vitest suite.
 *
 * `compile` checks a spec and returns the tfjs model topology as canonical JSON (sorted keys,
 * no version stamps), so the same spec always gives the same bytes. Snapshot it, and any change
 * to the model (a layer, an option, a default) shows up as a snapshot diff in review.
 *
 *   npm install --save-dev ferc vitest
 *   npx vitest run            # first run writes __snapshots__/, later runs compare
 *   npx vitest run -u         # accept an intended change
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { check, compile } from "ferc";

const SPECS = ["specs/vgg-small.fer", "specs/demo.fer"];

describe.each(SPECS)("%s", (file) => {
  const text = readFileSync(file, "utf8");

  it("checks cleanly, with the expected parameter count", () => {
    const r = check(text, file);
    expect(r.diagnostics).toEqual([]);
    expect(r.totals).toMatchSnapshot();
  });

  it("compiles to the same graph as before", async () => {
    const r = await compile(text, { file });
    if (!r.ok) throw new Error(r.diagnostics.map((d) => `${file}:${d.span.line}:${d.span.column} ${d.message}`).join("\n"));
    // One file per spec keeps review diffs readable.
    await expect(r.topology).toMatchFileSnapshot(`__snapshots__/${file.replace(/\W+/g, "_")}.model.json`);
  });
});
