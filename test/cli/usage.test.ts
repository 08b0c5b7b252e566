/** How ferc answers being called without a command, or for help. */
import { describe, expect, it } from "vitest";
import { ferc } from "./helpers.js";

describe("ferc without a command", () => {
  it("is a usage error: exit 2, the usage on stderr, nothing on stdout", async () => {
    const r = await ferc([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^ferc: missing command\n\n/);
    expect(r.stderr).toContain("usage: ferc <command> [options]");
  });

  it("--help prints the same usage on stdout and exits 0", async () => {
    const r = await ferc(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("usage: ferc <command> [options]");
    expect(r.stderr).toBe("");
  });
});
