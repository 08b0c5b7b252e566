/**
 * `ferc check` as a user runs it (the built CLI, in a child process): the three renderers
 * (code frames with the layer table, `--format json`, `--format github`), exit codes and the
 * summary line, on files with errors, a warning and none.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ferc } from "./helpers.js";

const BAD = 'spec bad\ndataset d {\n  split { train = usage "Trainig"; test = usage "PrivateTest" }\n}\nmodel {\n  conv 3x3 8 rleu\n  flatten; dense 7 softmax\n}\ntrain { batch 0 }\n';
const GOOD = "spec good\ndataset d {}\nmodel {\n  conv 3x3 8 relu\n  flatten\n  dense 7 softmax\n}\ntrain { batch 8 }\nexpect { shape conv1 = 46x46x8 }\n";

const TABLE = [
  "Layer     Kind     Output shape   Params  Mult-adds",
  "───────────────────────────────────────────────────",
  "conv1     conv     46x46x8            80    152,352",
  "flatten1  flatten  16928               0          0",
  "dense1    dense    7             118,503    118,496",
  "───────────────────────────────────────────────────",
  "Trainable params:     118,583",
  "Non-trainable params: 0",
  "Total params:         118,583",
  // 46·46·8 outputs x 3·3·1 weights each, then 16,928 x 7.
  "Multiply-adds:        270,848 per image, forward (270.8 k)",
];

const BAD_FRAMES = [
  'warning[F0203]: usage "Trainig" is not a FER2013 Usage value',
  " --> bad.fer:3:25",
  "  |",
  '3 |   split { train = usage "Trainig"; test = usage "PrivateTest" }',
  "  |                         ^^^^^^^^^",
  '  = hint: did you mean "Training"?',
  "",
  'error[F0106]: conv: unknown option "rleu"',
  " --> bad.fer:6:14",
  "  |",
  "6 |   conv 3x3 8 rleu",
  "  |              ^^^^",
  '  = hint: did you mean "relu"?',
  "",
  "error[F0202]: batch: size must be in [1, 65536], got 0",
  " --> bad.fer:9:15",
  "  |",
  "9 | train { batch 0 }",
  "  |               ^",
  "",
];

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ferc-check-render-"));
  writeFileSync(join(dir, "bad.fer"), BAD);
  writeFileSync(join(dir, "good.fer"), GOOD);
  writeFileSync(join(dir, "odd,name:1%.fer"), BAD);
  writeFileSync(join(dir, "open.fer"), "spec open\ndataset d {}\nmodel {\n  repeat 2 {\n    conv 3x3 8 relu\n  flatten; dense 7 softmax\n}\ntrain { batch 8 }\n");
  writeFileSync(join(dir, "y.fer.yaml"), "spec: y\ndataset d: {}\nmodel:\n  - conv 3x3 8 rleu\n  - flatten\n  - dense 7 softmax\ntrain:\n  batch: 8\n");
});

const check = (...args: string[]) => ferc(["check", ...args], { cwd: dir });

describe("ferc check, text", () => {
  it("code frames, the layer table and the summary; exit 1 on errors", async () => {
    const r = await check("bad.fer");
    expect(r.stdout).toBe([...BAD_FRAMES, "bad.fer", ...TABLE, "bad.fer: 2 errors, 1 warning", ""].join("\n"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
  });

  it("a clean file: the table with the spec name and the expect verdict; exit 0, no summary", async () => {
    const r = await check("good.fer");
    expect(r.stdout).toBe(["good.fer (spec good)", ...TABLE, "expect: 1 assertion holds", ""].join("\n"));
    expect(r.code).toBe(0);
  });

  it("--quiet: diagnostics and a summary per file, no table", async () => {
    const r = await check("--quiet", "good.fer", "bad.fer");
    expect(r.stdout).toBe(["good.fer: 0 errors, 0 warnings", "", ...BAD_FRAMES, "bad.fer: 2 errors, 1 warning", "", ""].join("\n"));
    expect(r.code).toBe(1);
  });

  it("an unclosed block: one frame at its '{', naming it and where the '}' goes", async () => {
    const r = await check("--quiet", "open.fer");
    expect(r.stdout).toBe(
      [
        "error[F0003]: repeat block opened on line 4 is not closed",
        " --> open.fer:4:12",
        "  |",
        "4 |   repeat 2 {",
        "  |            ^",
        "  = hint: add '}' before line 6 (judging by the indentation)",
        "",
        "open.fer: 1 error, 0 warnings",
        "",
      ].join("\n"),
    );
    expect(r.code).toBe(1);
  });

  it("a .fer.yaml spec: the frame points at the YAML line and column", async () => {
    const r = await check("--quiet", "y.fer.yaml");
    expect(r.stdout.split("\n").slice(0, 5)).toEqual(['error[F0106]: conv: unknown option "rleu"', " --> y.fer.yaml:4:16", "  |", "4 |   - conv 3x3 8 rleu", "  |                ^^^^"]);
  });

  it("usage errors exit 2 with the reason on stderr", async () => {
    const missing = await check("nope.fer");
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe("");
    expect(missing.stderr.split("\n")[0]).toBe("ferc check: cannot read nope.fer: no such file");
    const format = await check("--format", "xml", "good.fer");
    expect(format.code).toBe(2);
    expect(format.stderr.split("\n")[0]).toBe('ferc check: --format must be one of text, json, github, got "xml"');
  });
});

describe("ferc check --format json", () => {
  it("one object per file and line: diagnostics as data, the layers and the totals", async () => {
    const r = await check("--format", "json", "bad.fer", "good.fer");
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    const [bad, good] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const layers = [
      { name: "conv1", kind: "conv", outputShape: [46, 46, 8], params: 80, trainableParams: 80, macs: 152352 },
      { name: "flatten1", kind: "flatten", outputShape: [16928], params: 0, trainableParams: 0, macs: 0 },
      { name: "dense1", kind: "dense", outputShape: [7], params: 118503, trainableParams: 118503, macs: 118496 },
    ];
    const totals = { trainable: 118583, nonTrainable: 0, total: 118583 };
    expect(bad).toEqual({
      file: "bad.fer",
      ok: false,
      diagnostics: [
        { code: "F0203", severity: "warning", phase: "values", message: 'usage "Trainig" is not a FER2013 Usage value', file: "bad.fer", line: 3, column: 25, endLine: 3, endColumn: 34, hint: 'did you mean "Training"?' },
        { code: "F0106", severity: "error", phase: "names", message: 'conv: unknown option "rleu"', file: "bad.fer", line: 6, column: 14, endLine: 6, endColumn: 18, hint: 'did you mean "relu"?' },
        { code: "F0202", severity: "error", phase: "values", message: "batch: size must be in [1, 65536], got 0", file: "bad.fer", line: 9, column: 15, endLine: 9, endColumn: 16 },
      ],
      layers,
      totals,
      macs: 270848,
    });
    expect(good).toEqual({ file: "good.fer", ok: true, diagnostics: [], layers, totals, macs: 270848 });
  });

  it("an unreadable file is an F0901 diagnostic (phase input) in the JSON too, then a usage error (exit 2)", async () => {
    const r = await check("--format", "json", "good.fer", "nope.fer");
    expect(r.code).toBe(2);
    const lines = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toEqual({
      file: "nope.fer",
      ok: false,
      diagnostics: [{ code: "F0901", severity: "error", phase: "input", message: "cannot read nope.fer: no such file", file: "nope.fer", line: 1, column: 1, endLine: 1, endColumn: 1 }],
      layers: [],
      totals: { trainable: 0, nonTrainable: 0, total: 0 },
    });
    expect(r.stderr.split("\n")[0]).toBe("ferc check: cannot read nope.fer: no such file");
  });

  it("a clean file exits 0", async () => {
    const r = await check("--format", "json", "good.fer");
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { ok: boolean }).ok).toBe(true);
  });
});

describe("ferc check --format github", () => {
  it("one workflow annotation per diagnostic, warnings as ::warning, hints in the message", async () => {
    const r = await check("--format", "github", "bad.fer");
    expect(r.stdout).toBe(
      [
        '::warning file=bad.fer,line=3,col=25,endLine=3,endColumn=34,title=ferc F0203::usage "Trainig" is not a FER2013 Usage value (hint: did you mean "Training"?)',
        '::error file=bad.fer,line=6,col=14,endLine=6,endColumn=18,title=ferc F0106::conv: unknown option "rleu" (hint: did you mean "relu"?)',
        "::error file=bad.fer,line=9,col=15,endLine=9,endColumn=16,title=ferc F0202::batch: size must be in [1, 65536], got 0",
        "",
      ].join("\n"),
    );
    expect(r.code).toBe(1);
  });

  it("escapes ',', ':' and '%' in the file property so the annotation parses", async () => {
    const r = await check("--format", "github", "odd,name:1%.fer");
    expect(r.stdout.split("\n")[0]).toBe(
      '::warning file=odd%2Cname%3A1%25.fer,line=3,col=25,endLine=3,endColumn=34,title=ferc F0203::usage "Trainig" is not a FER2013 Usage value (hint: did you mean "Training"?)',
    );
  });

  it("an unreadable file is an annotation too, then a usage error (exit 2)", async () => {
    const r = await check("--format", "github", "nope.fer");
    expect(r.stdout).toBe("::error file=nope.fer,line=1,col=1,endLine=1,endColumn=1,title=ferc F0901::cannot read nope.fer: no such file\n");
    expect(r.stderr.split("\n")[0]).toBe("ferc check: cannot read nope.fer: no such file");
    expect(r.code).toBe(2);
  });

  it("a clean file prints nothing and exits 0", async () => {
    const r = await check("--format", "github", "good.fer");
    expect(r.stdout).toBe("");
    expect(r.code).toBe(0);
  });
});
