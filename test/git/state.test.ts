/** run.yaml's git revision and dirty flag, from a real repository. */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gitState } from "../../src/git/state.js";

const ENV = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t", GIT_CONFIG_GLOBAL: "/dev/null" };

describe("gitState", () => {
  it("names HEAD, the spec's path in the repository, and whether tracked files changed", async () => {
    const repo = mkdtempSync(join(tmpdir(), "ferc-gitstate-"));
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, env: ENV, encoding: "utf8" }).trim();
    git("init", "-q", "-b", "main");
    mkdirSync(join(repo, "specs"));
    const spec = join(repo, "specs", "x.fer");
    writeFileSync(spec, "spec x\n");
    git("add", ".");
    git("commit", "-q", "-m", "one");
    const clean = await gitState(spec);
    expect(clean).toEqual({ revision: git("rev-parse", "HEAD"), dirty: false, specPath: "specs/x.fer" });
    // An untracked file does not make the tree dirty; an edit of a tracked one does.
    writeFileSync(join(repo, "notes.txt"), "scratch\n");
    expect((await gitState(spec))?.dirty).toBe(false);
    writeFileSync(spec, "spec x # edited\n");
    expect(await gitState(spec)).toMatchObject({ dirty: true, specPath: "specs/x.fer" });
  });

  it("is undefined outside a repository and in one without commits", async () => {
    const outside = mkdtempSync(join(tmpdir(), "ferc-gitstate-none-"));
    writeFileSync(join(outside, "x.fer"), "spec x\n");
    expect(await gitState(join(outside, "x.fer"))).toBeUndefined();
    execFileSync("git", ["init", "-q"], { cwd: outside, env: ENV });
    expect(await gitState(join(outside, "x.fer"))).toBeUndefined();
  });
});
