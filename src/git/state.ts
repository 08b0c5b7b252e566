/**
 * Which commit a spec was run from, for run.yaml: the revision of the repository the spec file is
 * in, whether its tracked files differed from that revision (a dirty tree: the commit alone does
 * not reproduce the run), and the spec's path in the repository, so
 * `git show <revision>:<specPath>` (or `ferc diff <revision>:<specPath> …`) recovers it.
 * Untracked files do not make a tree dirty (as `git describe --dirty` counts). A spec outside any
 * repository, or no git at all, has no state: the record then simply has none.
 */
import { execFile } from "node:child_process";
import { realpathSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";

export interface GitState {
  /** The full commit hash of HEAD. */
  readonly revision: string;
  /** Tracked files differ from the revision (staged or not). */
  readonly dirty: boolean;
  /** The spec file's path from the repository's top directory, with `/` separators. */
  readonly specPath: string;
}

function git(args: readonly string[], cwd: string): Promise<string | undefined> {
  return new Promise((done) => {
    execFile("git", [...args], { cwd, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => done(err ? undefined : stdout));
  });
}

/** The state of the repository holding `specFile`; undefined when it is in none (or git is missing). */
export async function gitState(specFile: string): Promise<GitState | undefined> {
  const dir = dirname(resolve(specFile));
  const top = (await git(["rev-parse", "--show-toplevel"], dir))?.trim();
  if (!top) return undefined;
  // A repository without commits has no revision to name.
  const revision = (await git(["rev-parse", "--verify", "-q", "HEAD"], dir))?.trim();
  if (!revision) return undefined;
  const status = await git(["status", "--porcelain", "--untracked-files=no"], dir);
  if (status === undefined) return undefined;
  // git prints the top directory with symbolic links resolved: the spec's path must be too.
  let real: string;
  try {
    real = realpathSync(resolve(specFile));
  } catch {
    return undefined;
  }
  return { revision, dirty: status.trim() !== "", specPath: relative(top, real).split(sep).join("/") };
}
