/** fmt and show --resolved must not change what a spec means: the checked IR stays the same. */
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import { withoutSpans } from "../../src/diff/normalize.js";
import { format } from "../../src/format/index.js";
import { resolveSpec, showResolved } from "../../src/show/show.js";
import { INLINE_SPECS, specFiles } from "./helpers.js";

const ALL = [...INLINE_SPECS, ...specFiles()];

const ir = (text: string) => {
  const r = checkSource(text);
  return r.spec ? withoutSpans(r.spec) : undefined;
};

describe("semantics are preserved", () => {
  it.each(ALL)("%s: fmt keeps the checked IR and the diagnostics", (_name, text) => {
    const before = checkSource(text);
    const out = format(text).output;
    const after = checkSource(out);
    expect(ir(out)).toEqual(ir(text));
    // Same problems (by code and message); positions move with the layout.
    const key = (r: typeof before) => r.diagnostics.map((d) => `${d.code} ${d.message}`).sort();
    expect(key(after)).toEqual(key(before));
  });

  it.each(ALL.filter(([, t]) => checkSource(t).ok))("%s: show --resolved is a valid spec with the same IR", (_name, text) => {
    const resolved = showResolved(text);
    const again = checkSource(resolved);
    expect(again.diagnostics).toEqual([]);
    expect(withoutSpans(again.spec)).toEqual(ir(text));
    // Already canonical, and stable (a textconv must be deterministic).
    expect(format(resolved).output).toBe(resolved);
    expect(showResolved(resolved)).toBe(resolved);
  });

  it("resolves defaults, expands repeats and names every layer", () => {
    const out = showResolved(INLINE_SPECS[0]![1]);
    expect(out).toContain("  conv kernel = 3x3 filters = 64 stride = 1x1 padding = valid activation = relu bias = on as block3.conv2\n");
    expect(out).toContain("  optimizer adam lr = 1e-3 beta1 = 0.9 beta2 = 0.999 epsilon = 1e-7\n");
    expect(out).not.toContain("repeat");
    expect(out).toMatch(/^# block3\.conv2 +conv +5x5x64 +36,928$/m);
    expect(out).toContain("# params: trainable 140,343, non-trainable 960, total 141,303\n");
  });

  it("resolves a spec whose only errors are stale expect assertions, listing them", () => {
    const text = INLINE_SPECS[0]![1].replace("[16, 32, 64]", "[16, 32, 128]");
    const out = showResolved(text);
    expect(out).toMatch(/^# expect fails \(22:\d+\): expected 140,343 trainable parameters, the model has [\d,]+\n/);
    expect(out).toContain("filters = 128");
    expect(out).not.toContain("expect {");
    expect(resolveSpec(text).diagnostics.map((d) => d.code)).toEqual(["F0501", "F0501", "F0501"]);
  });

  it("shows a spec that does not check as written, headed by its errors", () => {
    const text = "spec x\nmodel { conv 3x3 16 }\n";
    expect(resolveSpec(text).output).toBeUndefined();
    const out = showResolved(text);
    expect(out).toMatch(/^# ferc: this spec does not check/);
    expect(out.endsWith(text)).toBe(true);
  });
});
