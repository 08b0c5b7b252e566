/** `ferc fmt --to`: a conversion keeps an existing (perhaps hand-edited) target unless --force. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ferc, REPO } from "./helpers.js";

describe("ferc fmt --to", () => {
  it("refuses to replace an existing .fer.yaml, replaces it with --force", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ferc-fmt-"));
    const spec = join(dir, "x.fer");
    writeFileSync(spec, readFileSync(join(REPO, "specs/demo.fer"), "utf8"));
    const target = join(dir, "x.fer.yaml");
    writeFileSync(target, "# edited by hand\n");

    const refused = await ferc(["fmt", "--to", "yaml", spec]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${target} exists; not overwriting it`);
    expect(refused.stderr).toContain("--force");
    expect(readFileSync(target, "utf8")).toBe("# edited by hand\n");

    const forced = await ferc(["fmt", "--to", "yaml", "--force", spec]);
    expect(forced.code).toBe(0);
    expect(readFileSync(target, "utf8")).toContain("spec: demo");
  });

  it("writes a new conversion without --force", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ferc-fmt-"));
    const spec = join(dir, "y.fer");
    writeFileSync(spec, readFileSync(join(REPO, "specs/demo.fer"), "utf8"));
    const r = await ferc(["fmt", "--to", "yaml", spec]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "y.fer.yaml"), "utf8")).toContain("spec: demo");
  });
});
