/**
 * Fault injection for the kill-safety tests. `FERC_CRASH_AT=<point>:<n>` makes the process kill
 * itself with SIGKILL the n-th time execution reaches `<point>`, so a test can land a kill at an
 * exact place that random timing almost never hits (half-way through a checkpoint, between the two
 * renames of a directory swap). Unset, a crash point costs one comparison.
 */
export type CrashPointName =
  /** A temp file is written and synced, not yet renamed over its target. */
  | "file-written"
  /** A checkpoint's temp directory holds its first file only. */
  | "dir-partial"
  /** The old directory is moved aside; the new one is not yet in place. */
  | "dir-swapping";

const setting = parseSetting(process.env["FERC_CRASH_AT"]);
let hits = 0;

function parseSetting(value: string | undefined): { point: string; n: number } | null {
  if (!value) return null;
  const m = /^([a-z-]+):(\d+)$/.exec(value);
  if (!m) {
    process.stderr.write(`ferc: ignoring FERC_CRASH_AT=${JSON.stringify(value)}: expected <point>:<n>, e.g. dir-partial:2\n`);
    return null;
  }
  return { point: m[1]!, n: Number(m[2]) };
}

export function crashPoint(name: CrashPointName): void {
  if (setting === null || setting.point !== name) return;
  if (++hits === setting.n) process.kill(process.pid, "SIGKILL");
}
