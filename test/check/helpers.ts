import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { checkSource, type CheckResult } from "../../src/check/index.js";

export const SPECS_DIR = fileURLToPath(new URL("../../specs/", import.meta.url));
export const readSpec = (name: string): string => readFileSync(`${SPECS_DIR}${name}.fer`, "utf8");

/** A complete spec around a model body (and optional train/extra sections). */
export function specWith(model: string, opts: { train?: string; extra?: string; dataset?: string } = {}): string {
  return [
    "spec t",
    `dataset d { ${opts.dataset ?? ""} }`,
    `model {\n${model}\n}`,
    `train { ${opts.train ?? "batch 32"} }`,
    opts.extra ?? "",
  ].join("\n");
}

export const codes = (r: CheckResult): string[] => r.diagnostics.map((d) => d.code);
export const checkModelBody = (model: string, opts?: Parameters<typeof specWith>[1]): CheckResult => checkSource(specWith(model, opts));
