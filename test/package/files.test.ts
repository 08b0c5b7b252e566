/**
 * What `npm pack` ships: an installed ferc must be able to build its native addon (its install
 * script runs native/build.mjs), so the sources the build compiles travel with it; the build
 * output does not. And the licence package.json names is in the package.
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const packed = (): string[] => {
  const out = execFileSync(npm, ["pack", "--dry-run", "--json", "--ignore-scripts"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
};

describe("npm package contents", () => {
  const files = packed();

  it("ships the native build script and every source file it compiles, but no build output", () => {
    expect(files).toContain("native/build.mjs");
    const units = [...readFileSync("native/build.mjs", "utf8").matchAll(/"([\w-]+\.cc)"/g)].map((m) => `native/${m[1]}`);
    expect(units.length).toBeGreaterThan(0);
    const sources = readdirSync("native").filter((f) => /\.(cc|h)$/.test(f)).map((f) => `native/${f}`);
    for (const f of [...units, ...sources]) expect(files).toContain(f);
    expect(files.filter((f) => f.startsWith("native/build/"))).toEqual([]);
  });

  it("ships the install script's target and the CLI", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string>; bin: Record<string, string> };
    expect(pkg.scripts["install"]).toContain("./native/build.mjs");
    expect(files).toContain(pkg.bin["ferc"]!.replace(/^\.\//, ""));
  });

  it("has a LICENSE matching package.json's licence", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { license: string };
    expect(pkg.license).toBe("MIT");
    expect(files).toContain("LICENSE");
    expect(readFileSync("LICENSE", "utf8")).toMatch(/^MIT License\n/);
  });
});
