/** `ferc runs [DIR]`: the run records under a folder as a table (or JSON), sorted and filtered. */
import type { ParsedArgs } from "../args.js";
import { UsageError } from "../args.js";
import { formatCount } from "../table.js";

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 90) return `${s}s`;
  const m = Math.round(s / 60);
  return m < 90 ? `${m}m` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

const pct = (v: number): string => `${(v * 100).toFixed(2)}%`;

export async function runRuns(args: ParsedArgs): Promise<number> {
  const { listRuns, sortRuns, specFilter, SORT_KEYS } = await import("../../run/runsIndex.js");
  const folder = args.positionals[0] ?? "runs";
  const sort = (args.flags["sort"] as string | undefined) ?? "started";
  if (!(SORT_KEYS as readonly string[]).includes(sort)) throw new UsageError(`--sort must be one of ${SORT_KEYS.join(", ")}, got "${sort}"`);
  const spec = args.flags["spec"] as string | undefined;
  let rows = await listRuns(folder);
  if (spec !== undefined) rows = rows.filter(specFilter(spec));
  rows = sortRuns(rows, sort as (typeof SORT_KEYS)[number]);
  if (args.flags["json"]) {
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    process.stdout.write(`no run records in ${folder}${spec !== undefined ? ` for spec ${spec}` : ""}\n`);
    return 0;
  }
  // Columns named after the splits when every run calls them the same (FER2013: PublicTest, PrivateTest).
  const named = (pick: (r: (typeof rows)[number]) => string | undefined, fallback: string): string => {
    const names = new Set(rows.map(pick).filter((n): n is string => n !== undefined));
    return names.size === 1 ? [...names][0]! : fallback;
  };
  const valName = named((r) => r.val?.split, "val");
  const testName = named((r) => r.test?.split, "test");
  const head = ["id", "spec", "status", "backend", "epochs", "time", `${valName} acc`, `${testName} acc (n)`, "params"];
  // An ensemble's time is its members' training, its params their sum (its status says "ensemble").
  const body = rows.map((r) => [
    r.id,
    r.spec,
    r.status === "completed" || r.status === "damaged" ? r.status : `${r.status}${r.reason ? ` (${r.reason})` : ""}`,
    r.backend,
    r.status === "damaged" ? "–" : r.ensemble ? `${r.ensemble.members} members` : `${r.epochs.done}/${r.epochs.planned}${r.epochs.best ? ` (best ${r.epochs.best})` : ""}`,
    r.trainingMs > 0 ? duration(r.trainingMs) : "–",
    r.val ? `${pct(r.val.acc)}${r.val.split !== valName ? ` ${r.val.split}` : ""}` : "–",
    r.test ? `${pct(r.test.acc)} (${r.test.n === null ? "?" : formatCount(r.test.n)})${r.test.split !== testName ? ` ${r.test.split}` : ""}` : "–",
    r.params === null ? "–" : formatCount(r.params),
  ]);
  const right = new Set([4, 5, 6, 7, 8]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  const lines = [line(head), ...body.map(line)];
  const problems = rows.flatMap((r) => (r.problem ? [`  ${r.id}: ${r.problem}`] : []));
  const overrides = rows.flatMap((r) => (r.overrides.length ? [`  ${r.id}: ${r.overrides.join(", ")}`] : []));
  const block = (title: string, ls: readonly string[]) => (ls.length ? `\n${title}:\n${ls.join("\n")}\n` : "");
  process.stdout.write(`${lines.join("\n")}\n${block("cannot read", problems)}${block("overrides", overrides)}`);
  return 0;
}
