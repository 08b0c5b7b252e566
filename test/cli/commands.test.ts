/**
 * The one command table (src/cli/commands.ts): each entry carries its flags, its help and a loader
 * of its implementation, so a command cannot be declared without one (before, a name missing
 * from a second table was a run-time TypeError).
 */
import { describe, expect, it } from "vitest";
import { COMMANDS, mainHelp } from "../../src/cli/commands.js";

describe("the command table", () => {
  it("names each command once", () => {
    const names = COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))("%s: its entry loads an implementation", async (_name, c) => {
    expect(typeof (await c.load())).toBe("function");
  });

  it("ferc --help lists every command", () => {
    const help = mainHelp();
    for (const c of COMMANDS) expect(help).toContain(`  ${c.name} `);
  });
});
