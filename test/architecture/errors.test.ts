/**
 * ferc's errors have one base (src/errors.ts): every error class in src/ extends FercError, and
 * nothing recognises an error by a marker property or by its class name, so the CLI's
 * `instanceof FercError` and the error's kind are the only way an error is told apart.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ERROR_KINDS, FercError } from "../../src/errors.js";
import { UsageError } from "../../src/cli/args.js";
import { RecordError } from "../../src/run/recordFiles.js";
import { DataError } from "../../src/data/errors.js";
import { RunRequestError } from "../../src/run/requestError.js";

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (/\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

const files = sources(SRC).map((path) => ({ path: relative(SRC, path), text: readFileSync(path, "utf8") }));

describe("one error base", () => {
  it("every error class in src/ extends FercError (only FercError extends Error)", () => {
    const plain = files.flatMap(({ path, text }) => [...text.matchAll(/class (\w+) extends Error\b/g)].map((m) => `${path}: ${m[1]}`));
    expect(plain).toEqual(["errors.ts: FercError"]);
  });

  it("no error is recognised by a marker or by its name", () => {
    const ways = files.flatMap(({ path, text }) =>
      [...text.matchAll(/readonly ferc = true|\.ferc === true|\.name === "\w+Error"/g)].map((m) => `${path}: ${m[0]}`),
    );
    expect(ways).toEqual([]);
  });

  it("a kind gives the exit code: usage and input 2, spec and internal 1", () => {
    expect(new UsageError("x").exitCode).toBe(2);
    expect(new RunRequestError("x").kind).toBe("usage");
    expect(new RecordError("x").exitCode).toBe(2);
    const data = new DataError("bad row", { file: "a.csv", row: 3 });
    expect([data instanceof FercError, data.kind, data.exitCode, data.name, data.message]).toEqual([true, "spec", 1, "DataError", "a.csv:3: bad row"]);
    expect(Object.values(ERROR_KINDS).map((k) => k.exitCode)).toEqual([2, 2, 1, 1]);
  });
});
