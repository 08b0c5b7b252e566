/**
 * Property tests: for random documents written in a random (valid) layout, fmt is idempotent,
 * keeps the tree and the comments, and the YAML form round-trips to the same canonical text.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { withoutSpans } from "../../src/diff/normalize.js";
import { format } from "../../src/format/index.js";
import { parse } from "../../src/syntax/parser.js";
import { toYaml, yamlToFer } from "../../src/yaml/index.js";

const word = fc.constantFrom("conv", "dense", "relu", "same", "val.loss", "per-image", "block1.conv1", "x_1", "on", "yes", "null");
const number = fc.oneof(
  fc.integer({ min: 0, max: 100000 }).map(String),
  fc.double({ min: 1e-6, max: 1000, noNaN: true }).map((x) => String(x)),
  fc.constantFrom("1e-3", "0.50", "40deg", "0.2rad", "10%", "-1", "+2"),
);
const dims = fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 2, maxLength: 3 }).map((d) => d.join("x"));
const string = fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s.replace(/[\n\r\u2028\u2029]/g, "")));
const scalar = fc.oneof(word, number, dims, string);
const value = fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(fc.oneof(number, word), { maxLength: 3 }).map((xs) => `[${xs.join(" ,")}]`) });
const arg = fc.oneof({ weight: 4, arbitrary: value }, { weight: 1, arbitrary: fc.tuple(word, value).map(([k, v]) => `${k} =${v}`) });
const comment = fc.option(fc.constantFrom("# note", "// why", "#x"), { nil: undefined, freq: 3 });
const sep = fc.constantFrom("\n", "; ", "\n\n", " ;\n");

interface Stmt {
  head: string;
  assign: boolean;
  args: string[];
  block?: Stmt[];
  comment?: string;
}

const stmt: fc.Memo<Stmt> = fc.memo((depth) =>
  fc.record({
    head: fc.constantFrom("model", "train", "dataset", "split", "conv", "batch", "repeat", "spec", "expect", "clean", "drop", "null", "true", "on"),
    assign: fc.boolean(),
    args: fc.array(arg, { maxLength: 4 }),
    block: depth > 1 ? fc.option(fc.array(stmt(depth - 1), { maxLength: 4 }), { nil: undefined }) : fc.constant(undefined),
    comment,
  }),
);

function write(ss: readonly Stmt[], seps: string[]): string {
  let i = 0;
  const next = () => seps[i++ % seps.length]!;
  const one = (s: Stmt): string => {
    const head = `${s.head}${s.assign ? " =" : ""}${s.args.map((a) => ` ${a}`).join("")}`;
    const block = s.block ? ` {${next().includes("\n") ? "\n" : " "}${s.block.map(one).join(next())}\n}` : "";
    // A comment ends its line, so it needs a line break after it.
    return `${head}${block}${s.comment ? ` ${s.comment}\n` : ""}`;
  };
  return `${ss.map(one).join(next())}\n`;
}

const tree = (text: string) =>
  JSON.parse(JSON.stringify(withoutSpans(parse(text).document.statements), (k, v: unknown) => (k === "raw" ? undefined : v)));

describe("fmt properties", () => {
  it("idempotent, comment-preserving, YAML round trip, on random documents", () => {
    fc.assert(
      fc.property(fc.array(stmt(3), { minLength: 1, maxLength: 5 }), fc.array(sep, { minLength: 1, maxLength: 5 }), (ss, seps) => {
        const text = write(ss, seps);
        const parsed = parse(text);
        expect(parsed.diagnostics).toEqual([]);
        const once = format(text).output;
        expect(format(once).output).toBe(once);
        const comments = (t: string) => parse(t).document.comments.map((c) => c.text.trim()).sort();
        expect(comments(once)).toEqual(comments(text));
        // Statement count per head is kept (order may be canonicalised).
        const heads = (t: string) => JSON.stringify(tree(t)).match(/"name":"[^"]*"/g)?.sort();
        expect(heads(once)).toEqual(heads(text));
        const yaml = toYaml(once).output;
        expect(tree(yamlToFer(yaml).output)).toEqual(tree(once));
      }),
      { numRuns: 300, seed: 42 },
    );
  });
});
