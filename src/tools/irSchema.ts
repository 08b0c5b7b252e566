/**
 * `npm run ir:schema`: writes grammar/ir.schema.json, the JSON Schema of the checked IR, from the
 * IR's TypeScript types (src/ir.ts, and Span from src/diagnostics.ts) read with the TypeScript
 * compiler API, so the schema cannot drift from the types: test/yaml/ir-schema.test.ts fails when
 * the committed file differs from what this writes.
 *
 * What the types cannot say (a range, an integer, a pattern) is written beside the property as a
 * JSDoc tag: `@schema integer minimum=1`. Words are flags (`integer`), `key=value` pairs are JSON
 * Schema keywords with JSON values; on a property holding numbers in an array (a shape, a tuple,
 * per-class weights) the number keywords apply to the numbers.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: Json };

const SOURCES = ["../../src/ir.ts", "../../src/diagnostics.ts"].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
export const IR_SCHEMA_FILE = fileURLToPath(new URL("../../grammar/ir.schema.json", import.meta.url));
const ROOT_TYPE = "SpecIR";

type Declaration = ts.InterfaceDeclaration | ts.TypeAliasDeclaration;

/** `DatasetIR` → `dataset`, `ParamTotals` → `paramTotals`: the definitions' names. */
const definitionName = (typeName: string): string => {
  const bare = typeName.endsWith("IR") ? typeName.slice(0, -2) : typeName;
  return bare[0]!.toLowerCase() + bare.slice(1);
};

const NUMBER_KEYS = new Set(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"]);
const ARRAY_KEYS = new Set(["minItems", "maxItems", "uniqueItems"]);
const STRING_KEYS = new Set(["minLength", "maxLength", "pattern"]);

/** The `@schema` words of a node's JSDoc, parsed; throws on a word it does not know. */
function schemaTags(node: ts.Node): { integer: boolean; keywords: [string, Json][] } {
  const out = { integer: false, keywords: [] as [string, Json][] };
  for (const tag of ts.getJSDocTags(node)) {
    if (tag.tagName.text !== "schema") continue;
    for (const word of (ts.getTextOfJSDocComment(tag.comment) ?? "").split(/\s+/).filter(Boolean)) {
      if (word === "integer") out.integer = true;
      else {
        const eq = word.indexOf("=");
        const key = word.slice(0, eq);
        if (eq < 1 || !(NUMBER_KEYS.has(key) || ARRAY_KEYS.has(key) || STRING_KEYS.has(key))) throw new Error(`@schema: unknown word "${word}"`);
        out.keywords.push([key, JSON.parse(word.slice(eq + 1)) as Json]);
      }
    }
  }
  return out;
}

/** Applies `@schema` words to a generated schema, reaching into arrays and unions for numbers. */
function constrain(s: Schema, tags: { integer: boolean; keywords: [string, Json][] }): void {
  const numeric = s["type"] === "number" || s["type"] === "integer";
  if (s["type"] === "array") {
    for (const [k, v] of tags.keywords) if (ARRAY_KEYS.has(k)) s[k] = v;
    const items = s["items"] as Schema | undefined;
    const rest = { integer: tags.integer, keywords: tags.keywords.filter(([k]) => !ARRAY_KEYS.has(k)) };
    if (items && !("$ref" in items)) constrain(items, rest);
    return;
  }
  if (Array.isArray(s["oneOf"])) {
    for (const branch of s["oneOf"] as Schema[]) if (!("$ref" in branch)) constrain(branch, { integer: tags.integer, keywords: tags.keywords.filter(([k]) => !ARRAY_KEYS.has(k)) });
    return;
  }
  if (numeric && tags.integer) s["type"] = "integer";
  for (const [k, v] of tags.keywords) {
    if ((NUMBER_KEYS.has(k) && numeric) || (STRING_KEYS.has(k) && s["type"] === "string")) s[k] = v;
  }
}

/** The JSDoc text of a node (tags left out), as one line, or undefined. */
function description(node: ts.Node): string | undefined {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const text = docs.map((d) => ts.getTextOfJSDocComment(d.comment) ?? "").join(" ").replace(/\s+/g, " ").trim();
  return text || undefined;
}

class SchemaWriter {
  readonly definitions = new Map<string, Schema>();
  private readonly declarations = new Map<string, Declaration>();

  constructor(files: readonly ts.SourceFile[]) {
    for (const f of files) for (const st of f.statements) if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) this.declarations.set(st.name.text, st);
  }

  declaration(name: string): Declaration {
    const d = this.declarations.get(name);
    if (!d) throw new Error(`ir schema: no declaration of ${name}`);
    return d;
  }

  /** A named type: its definition written once, a $ref to it. */
  ref(name: string): Schema {
    const def = definitionName(name);
    if (!this.definitions.has(def)) {
      this.definitions.set(def, {}); // placeholder: recursive types (LayerIR) refer to themselves
      const d = this.declaration(name);
      const s = ts.isInterfaceDeclaration(d) ? this.object(d.members) : this.type(d.type);
      constrain(s, schemaTags(d));
      const text = description(d);
      this.definitions.set(def, text ? { description: text, ...s } : s);
    }
    return { $ref: `#/definitions/${def}` };
  }

  object(members: ts.NodeArray<ts.TypeElement>): Schema {
    const properties: Schema = {};
    const required: string[] = [];
    for (const m of members) {
      if (!ts.isPropertySignature(m) || !m.type) throw new Error(`ir schema: unsupported member ${m.getText()}`);
      const name = m.name.getText();
      const s = this.type(m.type);
      const tags = schemaTags(m);
      const text = description(m);
      // A $ref cannot take siblings in draft-07: constraints and text go on an inline copy only.
      const prop = "$ref" in s ? s : { ...(text ? { description: text } : {}), ...s };
      if (!("$ref" in prop)) constrain(prop, tags);
      else if (tags.integer || tags.keywords.length) throw new Error(`ir schema: @schema on ${name}, a named type: put it on the type`);
      properties[name] = prop;
      if (!m.questionToken) required.push(name);
    }
    return { type: "object", additionalProperties: false, required, properties };
  }

  type(node: ts.TypeNode): Schema {
    if (ts.isParenthesizedTypeNode(node)) return this.type(node.type);
    if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.ReadonlyKeyword) return this.type(node.type);
    if (ts.isArrayTypeNode(node)) return { type: "array", items: this.type(node.elementType) };
    if (ts.isTupleTypeNode(node)) {
      const items = node.elements.map((e) => this.type(e as ts.TypeNode));
      const same = items.every((i) => JSON.stringify(i) === JSON.stringify(items[0]));
      if (!same) throw new Error(`ir schema: tuples of mixed types are not supported: ${node.getText()}`);
      return { type: "array", minItems: items.length, maxItems: items.length, items: items[0]! };
    }
    if (ts.isTypeLiteralNode(node)) return this.object(node.members);
    if (ts.isLiteralTypeNode(node)) return { const: literal(node) };
    if (ts.isUnionTypeNode(node)) return this.union(node.types);
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { type: "string" };
      case ts.SyntaxKind.NumberKeyword:
        return { type: "number" };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: "boolean" };
    }
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText();
      const args = node.typeArguments ?? [];
      if (name === "Readonly" && args[0]) return this.type(args[0]);
      if ((name === "ReadonlyArray" || name === "Array") && args[0]) return { type: "array", items: this.type(args[0]) };
      if (name === "Record" && args[0]?.kind === ts.SyntaxKind.StringKeyword && args[1]) return { type: "object", additionalProperties: this.type(args[1]) };
      return this.ref(name);
    }
    throw new Error(`ir schema: unsupported type ${node.getText()}`);
  }

  /** Literal members become one enum; the rest are alternatives beside it. */
  union(types: ts.NodeArray<ts.TypeNode>): Schema {
    const literals = types.filter(ts.isLiteralTypeNode).map(literal);
    const others = types.filter((t) => !ts.isLiteralTypeNode(t)).map((t) => this.type(t));
    const values: Schema[] = literals.length === 0 ? [] : [literals.length === 1 ? { const: literals[0]! } : { enum: literals }];
    const all = [...values, ...others];
    return all.length === 1 ? all[0]! : { oneOf: all };
  }
}

function literal(node: ts.LiteralTypeNode): Json {
  const l = node.literal;
  if (ts.isStringLiteral(l)) return l.text;
  if (ts.isNumericLiteral(l)) return Number(l.text);
  if (l.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (l.kind === ts.SyntaxKind.FalseKeyword) return false;
  throw new Error(`ir schema: unsupported literal ${node.getText()}`);
}

/** The schema of SpecIR, as grammar/ir.schema.json holds it. */
export function irSchema(): Schema {
  const files = SOURCES.map((f) => ts.createSourceFile(f, readFileSync(f, "utf8"), ts.ScriptTarget.ES2022, true));
  const w = new SchemaWriter(files);
  const root = w.declaration(ROOT_TYPE);
  if (!ts.isInterfaceDeclaration(root)) throw new Error(`ir schema: ${ROOT_TYPE} is not an interface`);
  const spec = w.object(root.members);
  const properties = spec["properties"] as Schema;
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: "https://ferc.dev/schema/ir.schema.json",
    title: "ferc checked IR (SpecIR)",
    description:
      "The fully resolved experiment produced by `ferc compile --emit ir|yaml`: every default filled in, repeats expanded, shapes and parameter counts computed. Generated from src/ir.ts by `npm run ir:schema`; do not edit.",
    type: "object",
    additionalProperties: false,
    required: spec["required"]!,
    properties: { $schema: { type: "string", description: "The schema's $id, written by ferc for editors." }, ...properties },
    definitions: Object.fromEntries([...w.definitions].sort(([a], [b]) => a.localeCompare(b))),
  };
}

export const irSchemaText = (): string => `${JSON.stringify(irSchema(), null, 2)}\n`;

function main(): void {
  writeFileSync(IR_SCHEMA_FILE, irSchemaText());
  process.stderr.write(`${IR_SCHEMA_FILE}: written\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
