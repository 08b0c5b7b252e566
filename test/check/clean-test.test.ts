/** `clean { test keep|clean }`: the checker, fmt, the resolved form and the YAML form. */
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import { format } from "../../src/format/index.js";
import { resolvedText } from "../../src/show/resolved.js";
import { toYaml, yamlToFer } from "../../src/yaml/index.js";
import { codes, specWith } from "./helpers.js";

const withClean = (clean: string) => specWith("flatten\ndense 7 softmax", { dataset: `clean { ${clean} }` });

describe("clean { test keep|clean }", () => {
  it("defaults to keep: the test split stays whole", () => {
    const r = checkSource(withClean("drop blank; drop duplicates"));
    expect(r.diagnostics).toEqual([]);
    expect(r.spec?.dataset.clean.test).toBe("keep");
  });

  it("test clean asks for the test split to be cleaned too", () => {
    const r = checkSource(withClean("drop blank; drop duplicates; test clean"));
    expect(r.diagnostics).toEqual([]);
    expect(r.spec?.dataset.clean.test).toBe("clean");
  });

  it("a value other than keep/clean is an error at its place, naming the choices", () => {
    const src = withClean("drop blank; test maybe");
    const r = checkSource(src);
    expect(r.ok).toBe(false);
    const d = r.diagnostics.find((x) => x.severity === "error")!;
    expect(d.message).toMatch(/keep|clean/);
    expect(src.split("\n")[d.span.line - 1]!.slice(d.span.column - 1)).toMatch(/^maybe/);
  });

  it("test twice is a duplicate-setting error", () => {
    expect(codes(checkSource(withClean("test keep; test clean")))).toContain("F0107");
  });

  it("fmt, the resolved form and the YAML form keep it", () => {
    const src = withClean("drop duplicates; test clean");
    const f = format(src);
    expect(f.output).toMatch(/clean \{ drop duplicates; test clean \}/);
    expect(resolvedText(checkSource(src).spec!)).toMatch(/test clean/);
    expect(resolvedText(checkSource(withClean("drop duplicates")).spec!)).toMatch(/test keep/);
    const back = yamlToFer(toYaml(src).output).output;
    expect(checkSource(back).spec?.dataset.clean.test).toBe("clean");
  });
});
