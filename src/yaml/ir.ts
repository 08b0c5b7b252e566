/**
 * The checked IR as JSON or YAML (`ferc compile --emit ir|yaml`). Spans are kept: they let a
 * tool point back into the spec. Key order is the IR's own, so output is deterministic.
 */
import { stringify } from "yaml";
import type { SpecIR } from "../ir.js";

export const IR_SCHEMA_ID = "https://ferc.dev/schema/ir.schema.json";

export function irToJson(spec: SpecIR): string {
  return `${JSON.stringify({ $schema: IR_SCHEMA_ID, ...spec }, null, 2)}\n`;
}

export function irToYaml(spec: SpecIR): string {
  // aliasDuplicateObjects off: repeated identical sub-objects must not turn into &anchors.
  return stringify({ $schema: IR_SCHEMA_ID, ...spec }, { aliasDuplicateObjects: false, lineWidth: 0 });
}
