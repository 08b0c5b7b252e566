import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { checkSource } from "../../src/check/index.js";
import { irToJson, irToYaml } from "../../src/yaml/index.js";
import { INLINE_SPECS, specFiles } from "../format/helpers.js";
import { IR_SCHEMA_FILE, irSchemaText } from "../../src/tools/irSchema.js";

const schema = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "grammar", "ir.schema.json"), "utf8")) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
const CHECKED = [...INLINE_SPECS, ...specFiles()].filter(([, text]) => checkSource(text).ok);

describe("IR as JSON and YAML, against grammar/ir.schema.json", () => {
  it("has specs to validate", () => {
    expect(CHECKED.length).toBeGreaterThanOrEqual(3);
  });

  it.each(CHECKED)("%s: the IR validates, as JSON and as YAML", (_name, text) => {
    const spec = checkSource(text).spec!;
    const json = JSON.parse(irToJson(spec)) as unknown;
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    const yaml = parseYaml(irToYaml(spec)) as unknown;
    expect(yaml).toEqual(json);
    expect(validate(yaml)).toBe(true);
  });

  it.each(["one-cycle peak 0.25 div 10", "cosine-restarts period 4 mult 1 min-lr 1e-5", "cosine warmup 2", "step every 3"])("schedule %s: the IR validates", (schedule) => {
    const text = INLINE_SPECS.find(([n]) => n === "inline:rich")![1].replace(/schedule plateau patience 3/, `schedule ${schedule}`);
    expect(text).toContain(schedule);
    const json = JSON.parse(irToJson(checkSource(text).spec!)) as unknown;
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
  });

  it("rejects an IR that breaks the contract", () => {
    const spec = JSON.parse(irToJson(checkSource(CHECKED[0]![1]).spec!)) as { train: { batch: number }; extra?: number };
    spec.train.batch = 0;
    spec.extra = 1;
    expect(validate(spec)).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath || e.params)).toContainEqual("/train/batch");
  });

  it("grammar/ir.schema.json is what src/ir.ts generates (npm run ir:schema), not a hand-kept copy", () => {
    expect(readFileSync(IR_SCHEMA_FILE, "utf8")).toBe(irSchemaText());
  });

  it("is deterministic", () => {
    const [, text] = CHECKED[0]!;
    expect(irToYaml(checkSource(text).spec!)).toBe(irToYaml(checkSource(text).spec!));
  });
});
