#!/usr/bin/env node
/**
 * The `ferc` executable. Commands are loaded on demand (each COMMANDS entry's `load`) so
 * `ferc check` never pays for tfjs.
 */
import { commandHelp, parseArgs, type CommandSpec, type ParsedArgs } from "./args.js";
import { COMMANDS, mainHelp, VERSION } from "./commands.js";
import { hintFor } from "../diagnostics.js";
import { ERROR_KINDS, isFercError, type FercError } from "../errors.js";
import { guardOutput } from "./output.js";

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
    if (isFercError(err) && err.kind === "usage") {
      process.stderr.write(`ferc ${spec.name}: ${err.message}\nusage: ${spec.usage}\n(ferc ${spec.name} --help for more)\n`);
      return 2;
    }
    throw err;
  }
  if (args.flags["help"]) {
    process.stdout.write(`${commandHelp(spec)}\n`);
    return 0;
  }
  const impl = await spec.load();
  try {
    return await impl(args);
  } catch (err) {
    if (!isFercError(err) || err.kind === "internal") throw err;
    process.stderr.write(printed(err, spec));
    return err.exitCode;
  }
}

/** A ferc error as ERROR_KINDS describes its kind's form on stderr. */
function printed(err: FercError, spec: CommandSpec): string {
  switch (err.kind) {
    case "usage":
      return `ferc ${spec.name}: ${err.message}\nusage: ${spec.usage}\n`;
    case "input":
      return `ferc ${spec.name}: ${err.message}\n`;
    case "spec":
      return `ferc: ${err.message}\n`;
    case "internal":
      return internalError(err);
  }
}

const internalError = (e: Error): string => `ferc: internal error: ${e.stack ?? e.message}\n`;

guardOutput();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(internalError(err instanceof Error ? err : new Error(String(err))));
    process.exitCode = ERROR_KINDS.internal.exitCode;
  },
);
