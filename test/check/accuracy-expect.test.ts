/** `expect { accuracy SPLIT >= MIN }`: judged against measured accuracies after a run or eval. */
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import { accuracyFailed, checkAccuracy, formatVerdict } from "../../src/check/expect.js";
import { specWith } from "./helpers.js";

const expects = (body: string) => {
  const r = checkSource(specWith("flatten; dense 7 softmax", { extra: `expect {\n${body}\n}` }));
  expect(r.diagnostics).toEqual([]);
  return r.spec!.expect;
};

describe("checkAccuracy", () => {
  it("judges every form the grammar allows (val and test, fraction and %), each against its own split", () => {
    const e = expects("accuracy test >= 0.9\naccuracy val >= 65%\naccuracy test >= 50%");
    const vs = checkAccuracy(e, { test: 0.6, val: 0.7 });
    expect(vs.map((v) => [v.split, v.min, v.actual, v.verdict, v.line])).toEqual([
      ["test", 0.9, 0.6, "fail", 8],
      ["val", 0.65, 0.7, "pass", 9],
      ["test", 0.5, 0.6, "pass", 10],
    ]);
    expect(accuracyFailed(vs)).toBe(true);
    expect(accuracyFailed(checkAccuracy(e, { test: 0.95, val: 0.65 }))).toBe(false);
  });

  it("the bound itself holds (>=)", () => {
    expect(checkAccuracy(expects("accuracy test >= 0.5"), { test: 0.5 })[0]!.verdict).toBe("pass");
  });

  it("an unmeasured split is unchecked with the reason, not a pass or a failure", () => {
    const vs = checkAccuracy(expects("accuracy val >= 0.5\naccuracy test >= 0.5"), { test: 0.4, val: "ferc eval --split val checks it" });
    expect(vs.map((v) => v.verdict)).toEqual(["unchecked", "fail"]);
    expect(formatVerdict(vs[0]!)).toBe("expect accuracy val >= 50% (line 8): not checked (ferc eval --split val checks it)");
    expect(formatVerdict(vs[1]!)).toBe("expect accuracy test >= 50% (line 9): 40.00%, FAILED");
  });

  it("static expectations are not accuracy verdicts", () => {
    expect(checkAccuracy(expects("params total 16135\nshape dense1 = 7"), { test: 0.1 })).toEqual([]);
  });
});
