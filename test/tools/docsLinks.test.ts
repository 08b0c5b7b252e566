/**
 * The README stays a newcomer's page (the reference is in docs/), and every relative link in it,
 * in docs/ and in runs/README.md points at a file that exists.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PAGES = ["README.md", "runs/README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

describe("README and docs/", () => {
  it("README.md is under 200 lines", () => {
    expect(readFileSync(join(ROOT, "README.md"), "utf8").split("\n").length).toBeLessThan(200);
  });

  it.each(PAGES)("%s: every relative link resolves to a file", (page) => {
    const text = readFileSync(join(ROOT, page), "utf8").replace(/```[\s\S]*?```/g, "");
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^(https?:|mailto:|#)/.test(t));
    const broken = targets.filter((t) => !existsSync(join(ROOT, dirname(page), t.split("#")[0]!)));
    expect(broken).toEqual([]);
  });
});
