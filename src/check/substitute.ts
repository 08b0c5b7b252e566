/** Repeat variables: replace a word argument naming a variable with that iteration's value. */
import type { Arg, Statement, Value } from "../syntax/ast.js";

export type Env = ReadonlyMap<string, Value>;

export function substitute(stmt: Statement, env: Env): Statement {
  if (env.size === 0) return stmt;
  const args = stmt.args.map((a): Arg => {
    const value = subValue(a.value, env);
    return value === a.value ? a : { ...a, value };
  });
  // Blocks are substituted lazily when their statements are expanded (they see the same env).
  return { ...stmt, args };
}

function subValue(v: Value, env: Env): Value {
  if (v.kind === "word") return env.get(v.name) ?? v;
  if (v.kind === "list") {
    const items = v.items.map((i) => subValue(i, env));
    return items.some((x, k) => x !== v.items[k]) ? { ...v, items } : v;
  }
  return v;
}
