/**
 * Printing the verdicts of `expect { accuracy ... }` for `ferc run` and `ferc eval`. They come
 * last, after the dashboard has released the terminal, so they are the final thing a user (or a
 * CI log) sees; with `--json` they travel in the `done` event instead.
 */
import { accuracyFailed, checkAccuracy, formatVerdict, type AccuracyVerdict } from "../check/expect.js";
import type { ExpectIR } from "../ir.js";
import type { EventOutput } from "../ui/index.js";
import { styleFor } from "../render/style.js";

export function verdictLines(vs: readonly AccuracyVerdict[], stream: NodeJS.WriteStream = process.stdout): string[] {
  const style = styleFor(stream);
  return vs.map((v) => {
    const line = formatVerdict(v);
    return v.verdict === "fail" ? style.red(line) : v.verdict === "pass" ? style.green(line) : style.yellow(line);
  });
}

/** Wraps a run's event output so that the `done` event's verdicts are printed after close(). */
export function withVerdicts(out: EventOutput, json: boolean, stream: NodeJS.WriteStream = process.stdout): EventOutput {
  let verdicts: readonly AccuracyVerdict[] = [];
  return {
    onEvent: (e) => {
      if (e.type === "done" && e.expectations) verdicts = e.expectations;
      out.onEvent(e);
    },
    async close() {
      await out.close();
      if (!json && verdicts.length > 0) stream.write(verdictLines(verdicts, stream).join("\n") + "\n");
    },
  };
}

/** `ferc eval --split S`: expectations on S are judged; the others say how to check them. */
export function evalVerdicts(expects: readonly ExpectIR[], split: string, acc: number): { verdicts: AccuracyVerdict[]; failed: boolean } {
  const other = (s: "val" | "test") => (split === s ? acc : `ferc eval --split ${s} checks it`);
  const verdicts = checkAccuracy(expects, { val: other("val"), test: other("test") });
  return { verdicts, failed: accuracyFailed(verdicts) };
}
