/**
 * The one diagnostic renderer (src/render/diagnostics.ts) in each format, on a checker finding
 * with a code frame, a backend-preflight finding (F0403) and an unreadable file (F0901, no
 * source text to frame).
 */
import { describe, expect, it } from "vitest";
import { diagnostic, fileError, joinSpans, type Span } from "../../src/diagnostics.js";
import { diagnosticJson, renderComment, renderDiagnostics, renderGithub, renderLine, renderText } from "../../src/render/diagnostics.js";
import { COLOR } from "../../src/render/style.js";

const SOURCE = "spec k\nmodel {\n  depthwise 3x3 same relu\n  dense 7 softmax\n}\n";
const span = (line: number, column: number, length: number): Span => ({ offset: 0, length, line, column, endLine: line, endColumn: column + length });

const option = { ...diagnostic("F0106", 'conv: unknown option "rleu"', span(3, 22, 4), 'did you mean "relu"?'), file: "k.fer" };
// As src/cli/kernels.ts reports it: over the model's layers, with the way out as the hint.
const kernel = { ...diagnostic("F0403", "backend wasm lacks kernel DepthwiseConv2dNativeBackpropFilter, which a training step of this spec needs", joinSpans(span(3, 3, 24), span(4, 3, 15)), "train on a backend that has it (--backend cpu), or change the layers that need it"), file: "k.fer" };
const unreadable = fileError("gone.fer", "cannot read gone.fer: no such file");

describe("text", () => {
  it("a code frame with caret and hint", () => {
    expect(renderText(option, { source: SOURCE })).toBe(
      [
        'error[F0106]: conv: unknown option "rleu"',
        " --> k.fer:3:22",
        "  |",
        "3 |   depthwise 3x3 same relu",
        "  |                      ^^^^",
        '  = hint: did you mean "relu"?',
      ].join("\n"),
    );
  });

  it("a backend-preflight finding is framed like any other, to the end of its first line", () => {
    expect(renderText(kernel, { source: SOURCE }).split("\n")).toEqual([
      "error[F0403]: backend wasm lacks kernel DepthwiseConv2dNativeBackpropFilter, which a training step of this spec needs",
      " --> k.fer:3:3",
      "  |",
      "3 |   depthwise 3x3 same relu",
      "  |   ^^^^^^^^^^^^^^^^^^^^^^^",
      "  = hint: train on a backend that has it (--backend cpu), or change the layers that need it",
    ]);
  });

  it("without source text (a file not read): the headline and the file, no frame", () => {
    expect(renderText(unreadable)).toBe("error[F0901]: cannot read gone.fer: no such file\n --> gone.fer");
  });

  it("the diagnostic's own file wins over the label; the label stands in when it names none", () => {
    expect(renderText(option, { source: SOURCE, file: "label" }).split("\n")[1]).toBe(" --> k.fer:3:22");
    const { file: _dropped, ...bare } = option;
    expect(renderText(bare, { source: SOURCE, file: "HEAD~1:k.fer" }).split("\n")[1]).toBe(" --> HEAD~1:k.fer:3:22");
    expect(renderText(bare, { source: SOURCE }).split("\n")[1]).toBe(" --> <input>:3:22");
  });

  it("colour wraps the headline and caret only", () => {
    const out = renderText(option, { source: SOURCE, style: COLOR });
    expect(out).toContain("\u001b[31m\u001b[1merror[F0106]\u001b[22m\u001b[39m");
    expect(out.replace(/\u001b\[\d+m/g, "")).toBe(renderText(option, { source: SOURCE }));
  });

  it("several: frames separated by blank lines", () => {
    expect(renderDiagnostics([option, kernel], "text", { source: SOURCE })).toBe(`${renderText(option, { source: SOURCE })}\n\n${renderText(kernel, { source: SOURCE })}\n\n`);
    expect(renderDiagnostics([], "text")).toBe("");
  });
});

describe("github", () => {
  it("one annotation per diagnostic, the hint in the message, the title naming the code", () => {
    expect(renderDiagnostics([option, unreadable], "github")).toBe(
      [
        '::error file=k.fer,line=3,col=22,endLine=3,endColumn=26,title=ferc F0106::conv: unknown option "rleu" (hint: did you mean "relu"?)',
        "::error file=gone.fer,line=1,col=1,endLine=1,endColumn=1,title=ferc F0901::cannot read gone.fer: no such file",
        "",
      ].join("\n"),
    );
  });

  it("warnings and infos map to ::warning and ::notice; newlines in messages are escaped", () => {
    const w = diagnostic("F0203", "two\nlines", span(1, 1, 1), undefined, "warning");
    expect(renderGithub(w, { file: "a.fer" })).toBe("::warning file=a.fer,line=1,col=1,endLine=1,endColumn=2,title=ferc F0203::two%0Alines");
    expect(renderGithub({ ...w, severity: "info" }, { file: "a.fer" }).startsWith("::notice ")).toBe(true);
  });
});

describe("json", () => {
  it("flat line/column pairs, the phase and the file; hint only when there is one", () => {
    expect(diagnosticJson(kernel)).toEqual({
      code: "F0403",
      severity: "error",
      phase: "backend",
      message: "backend wasm lacks kernel DepthwiseConv2dNativeBackpropFilter, which a training step of this spec needs",
      file: "k.fer",
      line: 3,
      column: 3,
      endLine: 4,
      endColumn: 18,
      hint: "train on a backend that has it (--backend cpu), or change the layers that need it",
    });
    expect(diagnosticJson(unreadable)).toEqual({ code: "F0901", severity: "error", phase: "input", message: "cannot read gone.fer: no such file", file: "gone.fer", line: 1, column: 1, endLine: 1, endColumn: 1 });
    const { file: _dropped, ...bare } = unreadable;
    expect("file" in diagnosticJson(bare)).toBe(false);
    expect(diagnosticJson(bare, { file: "x.fer" }).file).toBe("x.fer");
  });

  it("several: JSON Lines, one diagnostic per line", () => {
    const out = renderDiagnostics([option, unreadable], "json");
    expect(out.trimEnd().split("\n").map((l) => JSON.parse(l) as unknown)).toEqual([diagnosticJson(option), diagnosticJson(unreadable)]);
  });
});

describe("one-line forms", () => {
  it("file:line:col for a list of errors, and a comment line for a text that must stay a spec", () => {
    expect(renderLine(option)).toBe('k.fer:3:22: error[F0106]: conv: unknown option "rleu"');
    expect(renderComment(option)).toBe('# error[F0106] 3:22: conv: unknown option "rleu"');
  });
});
