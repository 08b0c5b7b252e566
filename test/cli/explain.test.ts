/**
 * `ferc explain CODE` and the code table it reads (src/codes.ts): every `edit` example, applied to
 * specs/demo.fer, makes the checker report that code with that message; docs/codes.md is what
 * the table generates; every code the sources report has a row.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import { CODES, EXAMPLE_BASE, type DiagnosticCode } from "../../src/codes.js";
import { codesMarkdown } from "../../src/render/codes.js";
import { CODES_DOC } from "../../src/tools/codesDoc.js";
import { ferc, REPO } from "./helpers.js";

const CODE_NAMES = Object.keys(CODES) as DiagnosticCode[];

describe("ferc explain", () => {
  it("F0404: the title, the message form, every situation and the example, exit 0", async () => {
    const r = await ferc(["explain", "F0404"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^F0404 setting incompatible with another \(phase: policy\)\n/);
    expect(r.stdout).toContain("message: WHAT does not take OPTION | WHAT needs OTHER");
    for (const situation of ["nesterov", "fraction of itself", "tta ten-crop", "schedule"]) expect(r.stdout).toContain(situation);
    expect(r.stdout).toContain("example: in specs/demo.fer, replace\n    optimizer adam lr 2e-3\nwith\n    optimizer adam lr 2e-3 momentum 0.9\nand ferc check reports\n    F0404: optimizer adam does not take momentum\n");
  });

  it("reads a code in lower case, or by its number", async () => {
    const lower = await ferc(["explain", "f0108"]);
    const number = await ferc(["explain", "108"]);
    expect(lower.code).toBe(0);
    expect(lower.stdout).toMatch(/^F0108 missing required setting/);
    expect(number.stdout).toBe(lower.stdout);
  });

  it("an unknown code is a usage error with a did-you-mean: exit 2, nothing on stdout", async () => {
    const r = await ferc(["explain", "F0440"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^ferc explain: unknown code "F0440" \(did you mean "F04\d\d"\?\)/);
    expect(r.stderr).toContain("usage: ferc explain CODE");
  });

  it("is listed in ferc --help", async () => {
    expect((await ferc(["--help"])).stdout).toMatch(/\n {2}explain +what a diagnostic code means/);
  });
});

describe("the code table", () => {
  const base = readFileSync(join(REPO, EXAMPLE_BASE), "utf8");

  it.each(CODE_NAMES.filter((c) => "edit" in CODES[c].example))("%s: its example makes the checker report it, word for word", (code) => {
    const ex = CODES[code].example as { edit: { replace: string; with: string }; message: string };
    expect(base, "the example's text is in specs/demo.fer").toContain(ex.edit.replace);
    const found = checkSource(base.replace(ex.edit.replace, ex.edit.with)).diagnostics.filter((d) => d.code === code);
    expect(found.map((d) => d.message)).toContain(ex.message);
  });

  it("has a row for every code the sources report", () => {
    const used = new Set<string>();
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith(".ts")) for (const m of readFileSync(path, "utf8").matchAll(/"(F\d{4})"/g)) used.add(m[1]!);
      }
    };
    walk(join(REPO, "src"));
    expect([...used].filter((c) => !(c in CODES))).toEqual([]);
  });

  it("docs/codes.md is what the table generates (npm run codes:doc)", () => {
    expect(readFileSync(CODES_DOC, "utf8")).toBe(codesMarkdown());
  });
});
