/**
 * Reading a spec from a git revision, for `ferc diff HEAD~1 specs/x.fer`. A side of a diff is:
 *   - an existing file path                         → that file (a path wins over a revision);
 *   - `REV:PATH` (`main:specs/x.fer`)               → PATH as of REV (PATH from the repo root,
 *                                                     or `REV:./PATH` relative to the cwd);
 *   - a bare revision (`HEAD~1`, `main`, a hash)    → the OTHER side's file as of that revision.
 * `git show` runs through execFile (no shell), so revision text is never interpreted.
 */
import { execFile } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import { sizeLimit } from "../syntax/limits.js";
import { basename, dirname, resolve } from "node:path";
import { FercError } from "../errors.js";

/** A user-facing error: the CLI prints its message as is (`ferc: ...`) and exits 1. */
export class RevisionError extends FercError {
  readonly kind = "spec";
  constructor(message: string) {
    super(message);
    this.name = "RevisionError";
  }
}

export interface SpecSource {
  readonly text: string;
  /** The file name the text belongs to (picks `.fer` or `.fer.yaml`). */
  readonly file: string;
  /** How to show it: the path, or `HEAD~1:specs/x.fer`. */
  readonly label: string;
}

/** `git show SPEC` in `cwd`, with git's complaints turned into sentences. */
export function gitShow(spec: string, cwd: string): Promise<string> {
  return new Promise((done, fail) => {
    execFile("git", ["show", spec], { cwd, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" }, (err, stdout, stderr) => {
      if (!err) return done(stdout);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return fail(new RevisionError("git is not installed (needed to read a revision)"));
      fail(new RevisionError(explainGitError(spec, String(stderr))));
    });
  });
}

function explainGitError(spec: string, stderr: string): string {
  const [rev = spec, path = ""] = splitRevision(spec) ?? [spec, ""];
  const s = stderr.trim();
  if (/not a git repository/i.test(s)) return `cannot read ${spec}: not inside a git repository`;
  if (/does not exist in|exists on disk, but not in/i.test(s)) return `${path} does not exist in revision ${rev}`;
  if (/invalid object name|unknown revision|bad revision|ambiguous argument/i.test(s)) {
    return `unknown git revision "${rev}"`;
  }
  return `git show ${spec} failed: ${s.split("\n")[0] ?? "unknown error"}`;
}

/** `REV:PATH` → [REV, PATH]; undefined for anything else (a Windows drive letter is not a rev). */
export function splitRevision(arg: string): [string, string] | undefined {
  const i = arg.indexOf(":");
  if (i <= 0 || /^[A-Za-z]:[\\/]/.test(arg)) return undefined;
  return [arg.slice(0, i), arg.slice(i + 1)];
}

const exists = async (p: string): Promise<boolean> => stat(p).then((s) => s.isFile(), () => false);

/**
 * Resolves the two sides of `ferc diff`. With one argument FILE the old side is FILE at HEAD
 * (what `git diff` compares the working copy with).
 */
export async function resolveDiffSides(args: readonly string[], cwd = process.cwd()): Promise<[SpecSource, SpecSource]> {
  if (args.length === 1) args = ["HEAD", args[0]!];
  if (args.length !== 2) throw new RevisionError("diff takes OLD and NEW (files or git revisions)");
  const [a, b] = args as [string, string];
  const fileA = await filePath(a, cwd);
  const fileB = await filePath(b, cwd);
  const old = await readSide(a, fileA ?? fileB ?? pathOf(b), cwd);
  const neu = await readSide(b, fileB ?? fileA ?? pathOf(a), cwd);
  return [old, neu];
}

/** The path named by an argument that is a file on disk, else undefined. */
async function filePath(arg: string, cwd: string): Promise<string | undefined> {
  return (await exists(resolve(cwd, arg))) ? arg : undefined;
}

/** The path inside a `REV:PATH` argument, used when the other side is a bare revision. */
function pathOf(arg: string): string | undefined {
  const r = splitRevision(arg);
  return r ? r[1] : undefined;
}

/** One side: a file, `REV:PATH`, or a bare revision of `otherFile`. */
export async function readSide(arg: string, otherFile: string | undefined, cwd = process.cwd()): Promise<SpecSource> {
  const abs = resolve(cwd, arg);
  if (await exists(abs)) {
    // A spec is small: a file over the limit is refused before it is read (as check refuses it).
    const tooLarge = sizeLimit((await stat(abs)).size, "bytes");
    if (tooLarge) throw new RevisionError(`cannot read ${arg}: ${tooLarge.message}`);
    return { text: await readFile(abs, "utf8"), file: arg, label: arg };
  }
  const split = splitRevision(arg);
  if (split) {
    const path = split[1];
    if (!path) throw new RevisionError(`"${arg}" names no file after the ':'`);
    return { text: await gitShow(arg, cwd), file: path, label: arg };
  }
  if (looksLikePath(arg)) throw new RevisionError(`cannot read ${arg}: no such file`);
  if (otherFile === undefined) {
    throw new RevisionError(`"${arg}" is a revision but the other side names no file; write ${arg}:path/to/spec.fer`);
  }
  if (splitRevision(otherFile)) otherFile = splitRevision(otherFile)![1];
  // `REV:./name` with the file's directory as cwd: git resolves it relative to there, so this
  // works from any directory inside the work tree.
  const dir = dirname(resolve(cwd, otherFile));
  const text = await gitShow(`${arg}:./${basename(otherFile)}`, dir);
  return { text, file: otherFile, label: `${arg}:${otherFile}` };
}

/** A `.fer`/`.yaml` name is meant as a file, not a revision (`origin/main` is a revision). */
function looksLikePath(arg: string): boolean {
  return /\.(fer|ya?ml)$/i.test(arg);
}
