/** A spec copied into a sweep or an ensemble's trials keeps the records it names, made absolute. */
import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";
import { withAbsoluteRecordPaths } from "../../src/distill/paths.js";
import { TINY_SPEC } from "../cli/helpers.js";

const specOf = (train: string) => {
  const r = checkSource(TINY_SPEC.replace("seed 7 }", `seed 7; ${train} }`));
  expect(r.diagnostics).toEqual([]);
  return r.spec!;
};

describe("withAbsoluteRecordPaths", () => {
  it("resolves the teacher and the init-from record against the spec file's directory", () => {
    const spec = specOf('init-from "../runs/a"; distill "../runs/e" targets per-view');
    const out = withAbsoluteRecordPaths(spec, "/work/p/specs/x.fer");
    expect(out.train.initFrom).toBe("/work/p/runs/a");
    expect(out.train.distill).toMatchObject({ teacher: "/work/p/runs/e", targets: "per-view" });
    // Nothing else moves.
    expect({ ...out, train: { ...out.train, initFrom: spec.train.initFrom, distill: spec.train.distill } }).toEqual(spec);
  });

  it("leaves absolute paths, and a spec that names no record, as they are", () => {
    const abs = specOf('init-from "/r/a"; distill "/r/e"');
    expect(withAbsoluteRecordPaths(abs, "/elsewhere/x.fer")).toBe(abs);
    const none = specOf("tta none");
    expect(withAbsoluteRecordPaths(none, "/elsewhere/x.fer")).toBe(none);
  });
});
