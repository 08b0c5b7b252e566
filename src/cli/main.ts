#!/usr/bin/env node
/**
 * The `ferc` executable. Commands are loaded on demand so `ferc check` never pays for tfjs.
 */
import { commandHelp, parseArgs, UsageError, type ParsedArgs } from "./args.js";
import { COMMANDS, mainHelp, VERSION } from "./commands.js";
import { hintFor } from "../diagnostics.js";
import { guardOutput } from "./output.js";

type CommandImpl = (args: ParsedArgs) => Promise<number>;

const IMPLS: Record<string, () => Promise<CommandImpl>> = {
  check: async () => (await import("./commands/check.js")).runCheck,
  run: async () => (await import("./commands/run.js")).runRun,
  eval: async () => (await import("./commands/run.js")).runEval,
  predict: async () => (await import("./commands/run.js")).runPredict,
  compile: async () => (await import("./commands/compile.js")).runCompile,
  export: async () => (await import("./commands/deploy.js")).runExport,
  report: async () => (await import("./commands/deploy.js")).runReport,
  serve: async () => (await import("./commands/deploy.js")).runServe,
  fmt: async () => (await import("./commands/review.js")).runFmt,
  diff: async () => (await import("./commands/review.js")).runDiff,
  show: async () => (await import("./commands/review.js")).runShow,
  sweep: async () => (await import("./commands/sweep.js")).runSweep,
  runs: async () => (await import("./commands/runs.js")).runRuns,
  ensemble: async () => (await import("./commands/ensemble.js")).runEnsemble,
};

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  // No command is a usage error (a script calling `ferc $CMD` with CMD unset must not pass).
  if (name === undefined) {
    process.stderr.write(`ferc: missing command\n\n${mainHelp()}\n`);
    return 2;
  }
  if (name === "-h" || name === "--help" || name === "help") {
    const topic = name === "help" ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    process.stdout.write(`${topic ? commandHelp(topic) : mainHelp()}\n`);
    return 0;
  }
  if (name === "-V" || name === "--version") {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const spec = COMMANDS.find((c) => c.name === name);
  if (!spec) {
    const hint = hintFor(name, COMMANDS.map((c) => c.name));
    process.stderr.write(`ferc: unknown command "${name}"${hint ? ` (${hint})` : ""}\n\n${mainHelp()}\n`);
    return 2;
  }
  let args: ParsedArgs;
  try {
    args = parseArgs(spec, rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`ferc ${spec.name}: ${err.message}\nusage: ${spec.usage}\n(ferc ${spec.name} --help for more)\n`);
      return 2;
    }
    throw err;
  }
  if (args.flags["help"]) {
    process.stdout.write(`${commandHelp(spec)}\n`);
    return 0;
  }
  const impl = await IMPLS[spec.name]!();
  try {
    return await impl(args);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`ferc ${spec.name}: ${err.message}\nusage: ${spec.usage}\n`);
      return 2;
    }
    // Bad input that is not about how ferc was called: a damaged run record, an unusable --runs-dir,
    // a record another process owns.
    if (err instanceof Error && INPUT_ERRORS.has(err.name)) {
      process.stderr.write(`ferc ${spec.name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

/** Error classes (by name, so this module loads none of them) that mean bad input: exit 2. */
const INPUT_ERRORS = new Set(["RecordError", "RunDirError", "LockHeldError"]);

guardOutput();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    const known = (e as { ferc?: boolean }).ferc === true || e.name === "DataError" || e.name === "RunError";
    process.stderr.write(known ? `ferc: ${e.message}\n` : `ferc: internal error: ${e.stack ?? e.message}\n`);
    process.exitCode = 1;
  },
);
