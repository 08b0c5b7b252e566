/** `ferc eval --full-test` is for the test split only: anything else is a usage error (exit 2). */
import { describe, expect, it } from "vitest";
import { ferc } from "./helpers.js";

describe("ferc eval --full-test", () => {
  it("with --split val: exit 2, says why, before opening anything", async () => {
    const r = await ferc(["eval", "runs/vgg-small-20261128-234800", "--split", "val", "--full-test"]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe("ferc eval: --full-test applies to --split test, not --split val");
  });

  it("is listed in ferc eval --help", async () => {
    const r = await ferc(["eval", "--help"]);
    expect(r.stdout).toContain("--full-test");
  });
});

describe("ferc eval --tta ten-crop", () => {
  it("on a run trained on whole images: exit 2, says why", async () => {
    const r = await ferc(["eval", "runs/vgg-small-20261128-234800", "--tta", "ten-crop"]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe("ferc eval: --tta ten-crop: runs/vgg-small-20261128-234800 was trained on whole images (its spec has no augment random-crop)");
  });
});
