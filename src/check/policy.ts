/**
 * Cross-section checks: output units vs classes, loss vs output activation, memory at batch size,
 * and the protocol (no choice of the run may read the test split).
 */
import { diagnostic, type Diagnostic, type Span } from "../diagnostics.js";
import type { LayerIR, Shape } from "../ir.js";
import { formatShape, outputActivation } from "../layers/kind.js";
import { layerKind } from "../layers/registry.js";
import { concreteLayers } from "./flatten.js";
import { known } from "./model.js";

/** F0601 threshold: one layer's activations (at batch size) or weights, float32. */
export const MEMORY_LIMIT_BYTES = 2 * 1024 ** 3;

export function checkOutput(layers: readonly LayerIR[], output: Shape, classes: number, modelSpan: Span, ds: Diagnostic[]): void {
  const last = layers[layers.length - 1];
  if (!last || !known(output)) return;
  if (output.length !== 1 || output[0] !== classes) {
    ds.push(
      diagnostic("F0303", `the model outputs ${formatShape(output)}, the dataset has ${classes} classes`, last.span ?? modelSpan, output.length === 1 ? `end with dense ${classes} softmax` : `flatten (or globalavgpool) and end with dense ${classes} softmax`),
    );
  }
}

/**
 * Categorical cross-entropy on probabilities: the last concrete layer must end in softmax.
 * `unsure` holds the options a mistake left unknown, by layer: when the final activation is one
 * of them (`dense 7 sofmax`), that mistake is the report, not a mismatch.
 */
export function checkLossActivation(layers: readonly LayerIR[], lossSpan: Span | undefined, ds: Diagnostic[], unsure: ReadonlyMap<string, readonly string[]> = new Map()): void {
  const last = layers[layers.length - 1];
  if (!last) return;
  const { option, value: act } = outputActivation(layerKind(last.kind), last.options);
  if (unsure.get(last.name)?.includes(option)) return;
  if (act === "softmax") return;
  ds.push(
    diagnostic("F0401", `categorical-crossentropy needs a softmax output, the last layer ${last.name} ends in ${act ?? "no activation"}`, lossSpan ?? last.span, "end the model with `dense N softmax` or `activation softmax`"),
  );
}

export function checkMemory(layers: readonly LayerIR[], batch: number, ds: Diagnostic[]): void {
  const spans = new Map<string, Span>();
  // A container's own layers (a residual's add and post-add activation) are reported at the container.
  const walk = (ls: readonly LayerIR[]): void =>
    ls.forEach((l) => {
      spans.set(l.name, l.span);
      for (const t of layerKind(l.kind)?.container?.tail(l) ?? []) spans.set(t.name, l.span);
      walk(l.children ?? []);
      walk(l.shortcut ?? []);
    });
  walk(layers);
  for (const l of concreteLayers(layers)) {
    const span = spans.get(l.name);
    if (!span) continue;
    const act = known(l.outputShape) ? 4 * batch * l.outputShape.reduce((a, b) => a * b, 1) : 0;
    const weights = 4 * l.params;
    if (act > MEMORY_LIMIT_BYTES) {
      ds.push(diagnostic("F0601", `${l.name}: activations ${formatShape(l.outputShape)} at batch ${batch} need ${gib(act)} (limit ${gib(MEMORY_LIMIT_BYTES)})`, span, "reduce the batch size or the layer's size"));
    } else if (weights > MEMORY_LIMIT_BYTES) {
      ds.push(diagnostic("F0601", `${l.name}: ${l.params.toLocaleString("en-US")} parameters need ${gib(weights)} (limit ${gib(MEMORY_LIMIT_BYTES)})`, span, "reduce the layer's size"));
    }
  }
}

const gib = (bytes: number): string => `${(bytes / 1024 ** 3).toFixed(bytes >= 10 * 1024 ** 3 ? 0 : 1)} GiB`;
