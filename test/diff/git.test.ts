import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffSpecs } from "../../src/diff/index.js";
import { readSide, resolveDiffSides, RevisionError, splitRevision } from "../../src/git/revision.js";
import { VGG_SMALL } from "../format/helpers.js";

const V1 = VGG_SMALL.replace(/expect \{.*\}\n/, "");
const V2 = V1.replace("batch 128", "batch 64");
const V3 = V2.replace("epochs 100", "epochs 20");

let repo = "";
const git = (...args: string[]) =>
  execFileSync("git", args, {
    cwd: repo,
    env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t", GIT_CONFIG_GLOBAL: "/dev/null" },
  });

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), "ferc-git-"));
  git("init", "-q", "-b", "main");
  mkdirSync(join(repo, "specs"));
  writeFileSync(join(repo, "specs", "x.fer"), V1);
  git("add", ".");
  git("commit", "-q", "-m", "one");
  writeFileSync(join(repo, "specs", "x.fer"), V2);
  git("commit", "-q", "-am", "two");
  writeFileSync(join(repo, "specs", "x.fer"), V3); // uncommitted
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe("git revisions as diff sides", () => {
  it("reads a bare revision as the other side's file at that revision", async () => {
    const [old, neu] = await resolveDiffSides(["HEAD~1", "specs/x.fer"], repo);
    expect(old).toMatchObject({ text: V1, file: "specs/x.fer", label: "HEAD~1:specs/x.fer" });
    expect(neu).toMatchObject({ text: V3, file: "specs/x.fer", label: "specs/x.fer" });
    const d = diffSpecs(old.text, neu.text, { oldFile: old.file, newFile: neu.file, oldLabel: old.label, newLabel: neu.label });
    expect(d.settings.map((s) => s.path)).toEqual(["train.batch", "train.epochs"]);
  });

  it("reads REV:PATH from the repository root, and ./PATH relative to the cwd", async () => {
    const [old, neu] = await resolveDiffSides(["main:specs/x.fer", "HEAD~1:specs/x.fer"], repo);
    expect([old.text, neu.text]).toEqual([V2, V1]);
    expect((await readSide("HEAD:./x.fer", undefined, join(repo, "specs"))).text).toBe(V2);
  });

  it("with one file compares it against HEAD", async () => {
    const [old, neu] = await resolveDiffSides(["specs/x.fer"], repo);
    expect([old.text, neu.text, old.label]).toEqual([V2, V3, "HEAD:specs/x.fer"]);
  });

  it("explains what went wrong", async () => {
    const fail = (p: Promise<unknown>) => p.then(() => "no error", (e: unknown) => (e instanceof RevisionError ? e.message : `other: ${String(e)}`));
    expect(await fail(resolveDiffSides(["nosuchrev", "specs/x.fer"], repo))).toBe('unknown git revision "nosuchrev"');
    expect(await fail(resolveDiffSides(["HEAD:specs/y.fer", "specs/x.fer"], repo))).toBe("specs/y.fer does not exist in revision HEAD");
    expect(await fail(resolveDiffSides(["HEAD~1", "HEAD"], repo))).toMatch(/names no file/);
    expect(await fail(resolveDiffSides(["specs/missing.fer", "specs/x.fer"], repo))).toBe("cannot read specs/missing.fer: no such file");
    const outside = mkdtempSync(join(tmpdir(), "ferc-nogit-"));
    writeFileSync(join(outside, "a.fer"), V1);
    try {
      expect(await fail(resolveDiffSides(["HEAD", "a.fer"], outside))).toMatch(/not inside a git repository/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("never hands revision text to a shell", async () => {
    const r = await resolveDiffSides(["HEAD;touch pwned", "specs/x.fer"], repo).catch((e: Error) => e);
    expect(r).toBeInstanceOf(RevisionError);
    expect(() => execFileSync("test", ["-e", join(repo, "specs", "pwned")])).toThrow();
  });

  it("splits REV:PATH but not drive letters", () => {
    expect(splitRevision("main:specs/x.fer")).toEqual(["main", "specs/x.fer"]);
    expect(splitRevision("C:\\x.fer")).toBeUndefined();
    expect(splitRevision("HEAD~1")).toBeUndefined();
  });
});
