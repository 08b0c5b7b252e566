/** Repeat variables: replace a word argument naming a variable with that iteration's value. */
import type { Signature } from "../schema/signature.js";
import type { Arg, Statement, Value } from "../syntax/ast.js";
import { BOOL_NAMES, findOption } from "../schema/bind.js";

export type Env = ReadonlyMap<string, Value>;

/**
 * `sig` is the statement's signature when it is a layer. A variable may share its name with one
 * of the layer's options (`repeat 2 with stride = [1, 2] { conv 3x3 16 stride stride }`): the
 * word is then kept as the keyword where it stands as one, i.e. where a value it can take
 * follows it, and only the value position is substituted.
 */
export function substitute(stmt: Statement, env: Env, sig?: Signature): Statement {
  if (env.size === 0) return stmt;
  const args: Arg[] = [];
  for (let i = 0; i < stmt.args.length; i++) {
    const a = stmt.args[i]!;
    if (sig && isKeyword(stmt.args, i, sig, env)) {
      // The keyword stays; the argument after it is its value, substituted as usual.
      args.push(a);
      const next = stmt.args[++i]!;
      args.push({ ...next, value: subValue(next.value, env) });
      continue;
    }
    const value = subValue(a.value, env);
    args.push(value === a.value ? a : { ...a, value });
  }
  // Blocks are substituted lazily when their statements are expanded (they see the same env).
  return { ...stmt, args };
}

function isKeyword(args: readonly Arg[], i: number, sig: Signature, env: Env): boolean {
  const a = args[i]!;
  if (a.key || a.value.kind !== "word" || !env.has(a.value.name)) return false;
  const option = findOption(sig, a.value.name);
  const next = args[i + 1];
  if (!option || !next || next.key) return false;
  const value = subValue(next.value, env);
  if (option.type.t === "bool") return value.kind === "word" && BOOL_NAMES.has(value.name);
  // `conv 3x3 filters relu` (or a misspelt `rleu`) uses the variable `filters` as the value: a
  // plain word after it is not the option's value; a literal or another variable is.
  return next.value.kind !== "word" || env.has(next.value.name);
}

function subValue(v: Value, env: Env): Value {
  if (v.kind === "word") return env.get(v.name) ?? v;
  if (v.kind === "list") {
    const items = v.items.map((i) => subValue(i, env));
    return items.some((x, k) => x !== v.items[k]) ? { ...v, items } : v;
  }
  return v;
}
