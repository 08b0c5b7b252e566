/**
 * `residual [project] [project-bn] [relu] { ...branch... }`: output = activation(branch(x) + shortcut(x)).
 * The shortcut is the identity, or with `project` a 1x1 conv whose filters equal the branch's
 * output channels and whose stride is chosen so its output matches the branch spatially (the
 * ResNet "option B" projection); `project-bn` adds a batchnorm after it (and drops the conv bias).
 *
 * The container itself contributes the Add (named after the residual, e.g. `res1`); the
 * projection is `res1.proj` (+ `res1.proj_bn`), a post-add activation `res1.act`. The checker and
 * compiler walk the branch themselves; this file owns the syntax and the shortcut's arithmetic.
 */
import type { Shape } from "../ir.js";
import { activationOption } from "./common.js";
import { formatShape, NO_MACS, NO_PARAMS, ok, type LayerKind } from "./kind.js";
import { optBool, type Options } from "./signature.js";

export const residual: LayerKind = {
  kind: "residual",
  abbrev: "res",
  summary: "residual block: add the branch output to the (optionally projected) input",
  example: "residual project project-bn relu { conv 3x3 64 same stride 2; batchnorm; conv 3x3 64 same }",
  container: true,
  signature: {
    options: [
      { name: "project", type: { t: "bool" }, default: false, doc: "1x1 conv on the shortcut to match the branch's shape" },
      { name: "project-bn", type: { t: "bool" }, default: false, doc: "batchnorm after the projection (implies project)" },
      { ...activationOption, doc: "activation applied after the add" },
    ],
  },
  // The container's own step is the Add: shapes are equal by then (the checker verifies).
  shape: (input) => ok(input),
  params: () => NO_PARAMS,
  // The Add multiplies nothing; the branch and the projection are layers of their own, summed by layerMacs.
  macs: NO_MACS,
};

export const projects = (o: Options): boolean => optBool(o, "project") || optBool(o, "project-bn");

/**
 * The stride for which a 1x1 valid conv maps `input` onto `target` spatially
 * (out = ceil(n / s)); undefined when no single integer stride does.
 */
export function projectionStride(input: Shape, target: Shape): readonly [number, number] | undefined {
  if (input.length !== 3 || target.length !== 3) return undefined;
  const axis = (n: number, t: number): number | undefined => {
    for (let s = 1; s <= n; s++) if (Math.ceil(n / s) === t) return s;
    return undefined;
  };
  const sh = axis(input[0]!, target[0]!);
  const sw = axis(input[1]!, target[1]!);
  return sh === undefined || sw === undefined ? undefined : [sh, sw];
}

export function mismatchMessage(branch: Shape, shortcut: Shape, projected: boolean): string {
  return `residual branch output ${formatShape(branch)} does not match the ${projected ? "projected " : ""}shortcut ${formatShape(shortcut)}`;
}
