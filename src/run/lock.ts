/**
 * One owner per run record (and per sweep): before a process touches a record (cleans its temp
 * files, reads its checkpoints, writes anything) it takes `.ferc-lock` in the record's directory,
 * and holds it until it is done. Two `ferc run --resume` of one record started 0.6 s apart used
 * to both train epochs 3-6 and both exit 0 (the owner was written to run.yaml only after the
 * data had loaded, and each one's temp-file cleanup could delete the other's writes in flight).
 *
 * - Created atomically with its content: the owner (pid, host, start, a random nonce) is written
 *   to a temp file that is then hard-linked to `.ferc-lock`; link() fails if the lock exists, so
 *   exactly one process wins and no reader ever sees a half-written lock.
 * - A lock whose process is dead (same host, no such pid) is stale and recovered: it is renamed
 *   aside and, if what was renamed is the stale lock that was read (same nonce), deleted; if a
 *   live lock was renamed instead (another process recovered the stale one first and took it),
 *   it is linked back and this process tries again, so two recoverers never both win.
 * - A lock of another host cannot be judged and is respected; the message says which file to
 *   delete if that process is gone.
 * - Released when the owner is done (also on a forced exit); a SIGKILL leaves it, stale.
 */
import { promises as fsp, readFileSync, unlinkSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { beforeForcedExit } from "./signals.js";
import { readRecordText, RecordError } from "./recordFiles.js";
import { FercError } from "../errors.js";

export const LOCK_FILE = ".ferc-lock";

interface Owner {
  readonly pid: number;
  readonly host: string;
  /** ISO time the lock was taken. */
  readonly since: string;
  /** What holds it: "ferc run", "ferc run --resume", "ferc sweep". */
  readonly what: string;
  /** Tells this lock from any other with the same pid (pids are reused). */
  readonly nonce: string;
}

/** The record is owned by another live process (or one on another host). */
export class LockHeldError extends FercError {
  override readonly name = "LockHeldError";
  readonly kind = "input";
}

export interface Lock {
  /** Where the lock is now. */
  readonly file: string;
  /** Remove the lock if it is still this process's (synchronous: also runs on a forced exit). */
  release(): void;
  /** The directory holding the lock was renamed to `dir` (a new record moved into place). */
  movedTo(dir: string): void;
}

const tempName = (): string => `.ferc-lock.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;

/** The lock's owner, or null when the file is gone or is not a lock ferc wrote. */
async function readOwner(file: string): Promise<Owner | null> {
  let text: string;
  try {
    text = await readRecordText(file, 4096);
  } catch (e) {
    if (e instanceof RecordError && (e.errno === "ENOENT" || e.errno === "ENOTDIR")) return null;
    throw e;
  }
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    return Number.isSafeInteger(o.pid) && typeof o.host === "string" && typeof o.nonce === "string" ? (o as Owner) : null;
  } catch {
    return null;
  }
}

/** True when the owner may still be running: alive on this host, or on a host we cannot see. */
function mayBeAlive(o: Owner): boolean {
  if (o.host !== os.hostname()) return true;
  if (o.pid === process.pid) return true;
  try {
    process.kill(o.pid, 0);
    return true;
  } catch (e) {
    // EPERM: the pid exists, as someone else's process.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A host name as a message may show it: the lock file is the record's, so not quoted verbatim. */
const shownHost = (h: string): string => (/^[A-Za-z0-9._-]{1,64}$/.test(h) ? h : "another host");

function heldMessage(dir: string, file: string, o: Owner, what: string): string {
  const since = typeof o.since === "string" && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(o.since) ? ` since ${o.since}` : "";
  const holder = `${typeof o.what === "string" && /^ferc [a-z -]{1,40}$/.test(o.what) ? o.what : "another process"} (pid ${o.pid}${o.host === os.hostname() ? "" : ` on ${shownHost(o.host)}`}${since})`;
  const remedy = o.host === os.hostname() ? "stop it (Ctrl-C) or wait for it to finish" : `if that process is gone, delete ${file}`;
  return `${dir} is in use by ${holder}; ${what} needs it to itself: ${remedy}`;
}

/** Remove the stale lock `seen`, and only it (see the module comment). */
async function removeStale(dir: string, file: string, seen: Owner | null): Promise<void> {
  const aside = path.join(dir, tempName());
  try {
    await fsp.rename(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return; // someone else removed it
    throw e;
  }
  const moved = await readOwner(aside).catch(() => null);
  if (moved !== null && (seen === null || moved.nonce !== seen.nonce)) {
    // A live lock taken after ours was read: put it back (unless yet another took its place).
    try {
      await fsp.link(aside, file);
    } catch {
      /* EEXIST: the place is taken again; that process owns the record */
    }
  }
  await fsp.rm(aside, { force: true });
}

/**
 * Take the lock of `dir` for `what` ("ferc run --resume"); a LockHeldError when another live
 * process has it. Release it when done (the lock also goes with a forced exit).
 */
export async function acquireLock(dir: string, what: string): Promise<Lock> {
  const file = path.join(dir, LOCK_FILE);
  const owner: Owner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), what, nonce: randomBytes(8).toString("hex") };
  for (let attempt = 0; attempt < 8; attempt++) {
    const tmp = path.join(dir, tempName());
    await fsp.writeFile(tmp, `${JSON.stringify(owner)}\n`, { flag: "wx" });
    try {
      await fsp.link(tmp, file);
      return held(file, owner);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // ENOENT: our temp file was cleaned up by the owner's temp-file cleanup; try again.
      if (code === "ENOENT") continue;
      if (code !== "EEXIST") throw e;
    } finally {
      await fsp.rm(tmp, { force: true });
    }
    const holder = await readOwner(file);
    if (holder !== null && mayBeAlive(holder)) throw new LockHeldError(heldMessage(dir, file, holder, what));
    await removeStale(dir, file, holder);
  }
  throw new LockHeldError(`${dir}: could not take ${file}: other processes keep taking it`);
}

function held(at: string, owner: Owner): Lock {
  let file = at;
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    unguard();
    try {
      // Only our own lock: one recovered as stale by mistake and retaken is someone else's.
      const now = JSON.parse(readFileSync(file, "utf8")) as Partial<Owner>;
      if (now.nonce === owner.nonce) unlinkSync(file);
    } catch {
      /* gone already */
    }
  };
  const unguard = beforeForcedExit(() => release());
  return {
    get file() {
      return file;
    },
    release,
    movedTo(dir: string) {
      file = path.join(dir, LOCK_FILE);
    },
  };
}
