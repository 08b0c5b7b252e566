/** The protocol, checked: no monitor (early stop, plateau schedule) may read the test split. */
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import { specWith } from "./helpers.js";

/** The text a diagnostic's span covers (one line). */
const covered = (src: string, d: { span: { line: number; column: number; endColumn: number } }) => src.split("\n")[d.span.line - 1]!.slice(d.span.column - 1, d.span.endColumn - 1);

describe("protocol: choices may not use the test split", () => {
  it.each([
    ["early-stop test.acc patience 5 restore-best", "early-stop", "test.acc", "val.acc"],
    ["early-stop monitor test_loss patience 3", "early-stop", "test_loss", "val.loss"],
    ["schedule plateau monitor test.loss", "schedule plateau", "test.loss", "val.loss"],
    ["schedule plateau monitor test.accuracy", "schedule plateau", "test.accuracy", "val.acc"],
  ])("%s: F0405 at the metric, with a hint", (train, what, metric, hint) => {
    const src = specWith("flatten\ndense 7 softmax", { train });
    const r = checkSource(src);
    expect(r.ok).toBe(false);
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => d.code)).toEqual(["F0405"]);
    const d = errors[0]!;
    expect(d.message).toBe(`${what} monitors ${metric}: choices may not use the test split`);
    expect(d.hint).toBe(`monitor ${hint}: the test split is evaluated once, after training`);
    expect(covered(src, d)).toMatch(new RegExp(`^(monitor )?${metric.replace(".", "\\.")}$`));
  });

  it("both refused in one pass", () => {
    const r = checkSource(specWith("flatten\ndense 7 softmax", { train: "early-stop test.loss; schedule plateau monitor test.acc" }));
    expect(r.diagnostics.filter((d) => d.code === "F0405")).toHaveLength(2);
  });

  it("val and train monitors pass", () => {
    const r = checkSource(specWith("flatten\ndense 7 softmax", { train: "early-stop val.acc patience 5; schedule plateau monitor val.loss" }));
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });
});
