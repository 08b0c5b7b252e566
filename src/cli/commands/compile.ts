/** `ferc compile FILE [--emit tfjs|ir|yaml] [-o OUT]`: the compiled graph or the checked IR. */
import { writeFileAtomic } from "../../run/atomicFs.js";
import { checkOutputFile } from "../outputTarget.js";
import type { ParsedArgs } from "../args.js";
import { checkFile } from "../load.js";
import { renderDiagnostics } from "../../render/diagnostics.js";
import { styleFor } from "../../render/style.js";

export async function runCompile(args: ParsedArgs): Promise<number> {
  const file = args.positionals[0]!;
  const emit = (args.flags["emit"] as string | undefined) ?? "tfjs";
  const { source, result } = await checkFile(file);
  if (!result.ok || !result.spec) {
    process.stderr.write(renderDiagnostics(result.diagnostics, "text", { file, source, style: styleFor(process.stderr) }));
    return 1;
  }
  let output: string;
  if (emit === "ir" || emit === "yaml") {
    const { irToJson, irToYaml } = await import("../../yaml/ir.js");
    output = emit === "ir" ? irToJson(result.spec) : irToYaml(result.spec);
  } else {
    // The graph is built with tfjs-layers on the cpu backend: no weights are trained, and the
    // topology does not depend on the backend.
    const { loadTfjsForGraphs } = await import("../tfjs.js");
    const { modelTopology } = await import("../../compile/topology.js");
    output = modelTopology(result.spec, await loadTfjsForGraphs());
  }
  const out = args.flags["out"] as string | undefined;
  if (out) {
    await checkOutputFile(out, args.flags["force"] === true);
    await writeFileAtomic(out, output);
  } else {
    process.stdout.write(output);
  }
  return 0;
}
