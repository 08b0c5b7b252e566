/**
 * Declarative command-line parsing: each command describes its flags and positionals once, and
 * both parsing and `--help` text come from that description.
 */
import { hintFor } from "../diagnostics.js";
import { FercError } from "../errors.js";

export interface FlagSpec {
  readonly name: string;
  readonly short?: string;
  readonly type: "boolean" | "string" | "number";
  readonly description: string;
  readonly choices?: readonly string[];
  readonly placeholder?: string;
  /** May be given more than once (`--vary A=1,2 --vary B=3,4`): every value lands in `lists`. */
  readonly multiple?: boolean;
}

/** A command's implementation: parsed arguments in, exit code out. */
export type CommandImpl = (args: ParsedArgs) => Promise<number>;

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly positionals: { readonly name: string; readonly min: number; readonly max: number };
  readonly flags: readonly FlagSpec[];
  readonly examples: readonly string[];
  /**
   * Loads the implementation on demand (a dynamic import), so `ferc --help` and `ferc check` never
   * pay for tfjs; kept beside the flags so a command cannot be declared without one.
   */
  readonly load: () => Promise<CommandImpl>;
}

export type FlagValues = Record<string, string | number | boolean | undefined>;

export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: FlagValues;
  /** Every value of each `multiple` flag, in order (the last one is also in `flags`). */
  readonly lists?: Readonly<Record<string, readonly string[]>>;
}

/** A mistake in how ferc was called: printed with the usage line, exit code 2. */
export class UsageError extends FercError {
  readonly kind = "usage";
  constructor(
    message: string,
    readonly command?: CommandSpec,
  ) {
    super(message);
  }
}

export const HELP_FLAG: FlagSpec = { name: "help", short: "h", type: "boolean", description: "show this help" };

export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const flags: FlagValues = {};
  const lists: Record<string, string[]> = {};
  const positionals: string[] = [];
  const all = [...spec.flags, HELP_FLAG];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const [rawName, inline] = arg.startsWith("--") ? splitOnce(arg.slice(2)) : [arg.slice(1), undefined];
    const flag = arg.startsWith("--") ? all.find((f) => f.name === rawName) : all.find((f) => f.short === rawName);
    if (!flag) {
      const hint = hintFor(rawName, all.map((f) => f.name));
      throw new UsageError(`unknown option ${arg}${hint ? ` (${hint.replace('"', '"--')})` : ""}`, spec);
    }
    if (flag.type === "boolean") {
      if (inline !== undefined) throw new UsageError(`--${flag.name} takes no value`, spec);
      flags[flag.name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${flag.name} needs a value`, spec);
    if (flag.choices && !flag.choices.includes(value)) {
      throw new UsageError(`--${flag.name} must be one of ${flag.choices.join(", ")}, got "${value}"`, spec);
    }
    if (flag.type === "number") {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new UsageError(`--${flag.name} needs a number, got "${value}"`, spec);
      flags[flag.name] = n;
    } else {
      flags[flag.name] = value;
      if (flag.multiple) (lists[flag.name] ??= []).push(value);
    }
  }
  if (flags["help"]) return { positionals, flags, lists };
  const { min, max, name } = spec.positionals;
  if (positionals.length < min) throw new UsageError(`missing ${name}`, spec);
  if (positionals.length > max) throw new UsageError(`unexpected argument "${positionals[max]}"`, spec);
  return { positionals, flags, lists };
}

function splitOnce(s: string): [string, string | undefined] {
  const i = s.indexOf("=");
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

export function commandHelp(spec: CommandSpec): string {
  const lines = [`ferc ${spec.name}: ${spec.summary}`, "", `usage: ${spec.usage}`, "", "options:"];
  const rows = [...spec.flags, HELP_FLAG].map((f) => {
    const head = `${f.short ? `-${f.short}, ` : "    "}--${f.name}${f.type === "boolean" ? "" : ` ${f.placeholder ?? (f.choices ? f.choices.join("|") : f.type === "number" ? "N" : "VALUE")}`}`;
    return [head, f.description] as const;
  });
  const width = Math.max(...rows.map(([h]) => h.length));
  for (const [h, d] of rows) lines.push(`  ${h.padEnd(width)}  ${d}`);
  if (spec.examples.length) lines.push("", "examples:", ...spec.examples.map((e) => `  ${e}`));
  return lines.join("\n");
}
