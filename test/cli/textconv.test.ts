/**
 * The git textconv recipes of docs/review.md, each run by git as a user would have it: in a scratch
 * repository outside this one, with ferc installed the way the recipe's comment says.
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO = path.resolve(".");
const BIN = path.join(REPO, "dist/cli/main.js");
const recipes = [...readFileSync("docs/review.md", "utf8").matchAll(/^git config diff\.fer\.textconv "([^"]+)"/gm)].map((m) => m[1]!);
const tmp = mkdtempSync(path.join(os.tmpdir(), "ferc-textconv-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * What npm's bin link amounts to. A launcher rather than a link to dist/cli/main.js: the link
 * needs the file executable, which npm makes it on install but a plain tsc build does not.
 */
function writeLauncher(file: string): void {
  writeFileSync(file, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(file, 0o755);
}

/** A small spec of its own, so the test does not follow edits to specs/. */
const SPEC = [
  "spec tc",
  "dataset d { source synthetic count 700 }",
  "model { conv 3x3 8 relu; flatten; dense 7 softmax }",
  "train { optimizer adam; batch 64; epochs 2 }",
  "",
].join("\n");

/** A git repository holding a spec, committed, then edited (batch 64 → 32). */
function scratchRepo(name: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(path.join(dir, "specs"), { recursive: true });
  const git = (...a: string[]) => spawnSync("git", a, { cwd: dir, encoding: "utf8" });
  git("init", "-q");
  writeFileSync(path.join(dir, ".gitattributes"), "*.fer diff=fer\n");
  writeFileSync(path.join(dir, "specs/tc.fer"), SPEC);
  git("add", ".");
  git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "spec");
  writeFileSync(path.join(dir, "specs/tc.fer"), SPEC.replace("batch 64", "batch 32"));
  return dir;
}

describe("docs/review.md textconv recipes", () => {
  it("are there, and none relies on npx (which asks the registry where ferc is not a local dependency)", () => {
    expect(recipes.length).toBeGreaterThan(0);
    for (const r of recipes) expect(r).not.toMatch(/^npx /);
  });

  it.each(recipes)("%s: git diff shows the resolved spec", (recipe) => {
    const dir = scratchRepo(`r${recipes.indexOf(recipe)}`);
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (recipe.startsWith("node_modules/.bin/")) {
      // A local install: npm links the bin into node_modules/.bin (and makes it executable).
      mkdirSync(path.join(dir, "node_modules/.bin"), { recursive: true });
      writeLauncher(path.join(dir, "node_modules/.bin/ferc"));
    } else if (recipe.startsWith("node dist/")) {
      // A clone of ferc: its built dist/ (node resolves dependencies from the link's target).
      symlinkSync(path.join(REPO, "dist"), path.join(dir, "dist"));
    } else {
      // A global install: ferc on PATH, nothing in the repository.
      const bin = path.join(tmp, "global-bin");
      mkdirSync(bin, { recursive: true });
      writeLauncher(path.join(bin, "ferc"));
      env["PATH"] = `${bin}${path.delimiter}${env["PATH"] ?? ""}`;
    }
    // From a subdirectory: git still runs the command from the top of the repository.
    const r = spawnSync("git", ["-c", `diff.fer.textconv=${recipe}`, "diff"], { cwd: path.join(dir, "specs"), encoding: "utf8", env, timeout: 60_000 });
    expect(r.stderr).toBe("");
    expect(r.stdout, r.stderr).toContain("-  batch 64");
    expect(r.stdout).toContain("+  batch 32");
    // Only the resolved form has these: defaults filled in.
    expect(r.stdout).toMatch(/^ {3}schedule constant$/m); // a context line: " " + indent
  }, 60_000);
});
