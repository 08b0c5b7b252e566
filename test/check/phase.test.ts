/**
 * Every diagnostic carries the phase of its code (src/diagnostics.ts CODES), and callers branch
 * on the phase rather than on code ranges: each range's phase, the exceptions, and that the
 * stages really set it.
 */
import { describe, expect, it } from "vitest";
import { CODES, diagnostic, fileError, inFile, NO_SPAN, phaseOf, PHASES, type DiagnosticCode, type Phase } from "../../src/diagnostics.js";
import { checkSource } from "../../src/check/index.js";
import { checkLenient } from "../../src/check/lenient.js";

const codes = Object.keys(CODES) as DiagnosticCode[];
const inRange = (prefix: string) => codes.filter((c) => c.startsWith(prefix));

describe("the phase of a code", () => {
  it.each<[string, Phase]>([
    ["F00", "syntax"],
    ["F01", "names"],
    ["F02", "values"],
    ["F03", "shapes"],
    ["F05", "expect"],
    ["F09", "input"],
  ])("%sxx codes are %s", (prefix, phase) => {
    expect(inRange(prefix).length).toBeGreaterThan(0);
    for (const c of inRange(prefix)) expect([c, phaseOf(c)]).toEqual([c, phase]);
  });

  it("F04xx is policy, except the backend preflight's missing kernel (F0403)", () => {
    expect(inRange("F04").filter((c) => c !== "F0403").map(phaseOf)).toEqual(["policy", "policy", "policy", "policy"]);
    expect(phaseOf("F0403")).toBe("backend");
  });

  it("resource limits are policy; sweeps are names, values or policy by what is wrong", () => {
    expect(phaseOf("F0601")).toBe("policy");
    expect(inRange("F07").map((c) => [c, phaseOf(c)])).toEqual([["F0701", "names"], ["F0702", "values"], ["F0703", "values"], ["F0704", "policy"]]);
  });

  it("every code has one of the phases; an unknown code counts as input", () => {
    for (const c of codes) expect(PHASES).toContain(CODES[c].phase);
    expect(new Set(codes.map(phaseOf))).toEqual(new Set(PHASES));
    expect(phaseOf("F9999")).toBe("input");
  });

  it("diagnostic() sets the phase from the code; fileError is F0901 input with its file", () => {
    expect(diagnostic("F0502", "shape differs", NO_SPAN).phase).toBe("expect");
    expect(fileError("a.fer", "cannot read a.fer: no such file")).toEqual({ code: "F0901", severity: "error", phase: "input", message: "cannot read a.fer: no such file", span: NO_SPAN, file: "a.fer" });
    const [a, b] = inFile([diagnostic("F0101", "x", NO_SPAN), { ...diagnostic("F0101", "y", NO_SPAN), file: "other.fer" }], "a.fer");
    expect([a!.file, b!.file]).toEqual(["a.fer", "other.fer"]);
  });
});

describe("stages report their phase", () => {
  const OK = "spec p\ndataset d {}\nmodel {\n  conv 3x3 8 relu\n  flatten\n  dense 7 softmax\n}\ntrain { batch 8 }\n";

  it("syntax, names, values and shapes from the checker", () => {
    const phases = (text: string) => checkSource(text).diagnostics.map((d) => d.phase);
    expect(phases('spec p\ndataset d { source "x }')).toContain("syntax");
    expect(phases(OK.replace("relu", "rleu"))).toEqual(["names"]);
    expect(phases(OK.replace("batch 8", "batch 0"))).toEqual(["values"]);
    expect(phases(OK.replace("conv 3x3 8", "conv 64x64 8"))).toContain("shapes");
  });

  it("checkLenient resolves a spec whose only errors are of phase expect", () => {
    const stale = checkLenient(`${OK}expect { params total = 5 }\n`, undefined);
    expect(stale.spec?.name).toBe("p");
    expect(stale.failedExpect.map((d) => [d.code, d.phase])).toEqual([["F0501", "expect"]]);
    const broken = checkLenient(`${OK.replace("batch 8", "batch 0")}expect { params total = 5 }\n`, undefined);
    expect(broken.spec).toBeUndefined();
    expect(broken.failedExpect).toEqual([]);
  });
});
