import { describe, expect, it } from "vitest";
import { checkSource } from "../../src/check/index.js";

const spec = (train: string) => `spec t
dataset d { source synthetic; input 48x48x1; classes a b c d e f g }
model { flatten; dense 7 softmax }
train { optimizer adam; batch 32${train} }
`;

describe("train { tta }", () => {
  it("is absent from the IR unless written, so older records and snapshots are unchanged", () => {
    expect(checkSource(spec("")).spec!.train.tta).toBeUndefined();
  });
  it.each(["flip", "none"] as const)("tta %s reaches the IR", (mode) => {
    expect(checkSource(spec(`; tta ${mode}`)).spec!.train.tta).toBe(mode);
  });
  it("an unknown mode is F0203 with a did-you-mean hint at the value", () => {
    const r = checkSource(spec("; tta flp"));
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: "F0203", hint: 'did you mean "flip"?', span: { line: 4, column: 39, length: 3 } });
  });
});
