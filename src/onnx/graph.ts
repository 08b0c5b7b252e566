/**
 * A small builder for an ONNX graph: nodes, float/int64 initialisers and fresh value names, then
 * one `ModelProto` encoded by onnx-proto (the protobufjs code generated from onnx.proto), so the
 * bytes on disk are written by a protobuf library, never by hand.
 */
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;

/** ONNX operator set the exporter targets (every op used exists with these semantics in 13). */
export const OPSET = 13;
/** IR version 7 is the one that goes with opset 13 (ONNX 1.8). */
export const IR_VERSION = 7;

export type AttrValue = number | readonly number[] | { readonly float: number };

/** `TensorProto.DataType` values the exporter writes. */
const FLOAT = 1;
const INT64 = 7;

/** `AttributeProto.AttributeType`. */
const ATTR = { FLOAT: 1, INT: 2, INTS: 7 } as const;

export interface GraphSpec {
  readonly name: string;
  readonly input: { readonly name: string; readonly dims: readonly (number | string)[] };
  readonly output: { readonly name: string; readonly dims: readonly (number | string)[] };
  readonly docString?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly producerVersion: string;
}

export class OnnxGraph {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly used = new Set<string>();
  /** Put before every name made while set (`m1/`: an ensemble member's nodes); see `scoped`. */
  private prefix = "";

  /** Run `build` with every new name prefixed (members of one graph keep their layer names apart). */
  scoped<T>(prefix: string, build: () => T): T {
    const outer = this.prefix;
    this.prefix = outer + prefix;
    try {
      return build();
    } finally {
      this.prefix = outer;
    }
  }

  /** A value name not used yet, derived from `base` (layer names keep their dots). */
  fresh(base: string): string {
    let name = this.prefix + base;
    for (let i = 2; this.used.has(name); i++) name = `${this.prefix}${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Reserve a name exactly (graph inputs and outputs). */
  reserve(name: string): string {
    if (this.used.has(name)) throw new Error(`ONNX value name ${name} is used twice`);
    this.used.add(name);
    return name;
  }

  floatTensor(base: string, dims: readonly number[], values: Float32Array | readonly number[]): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    const size = dims.reduce((a, b) => a * b, 1);
    if (data.length !== size) throw new Error(`initialiser ${base}: ${data.length} values for shape [${dims.join(",")}]`);
    const name = this.fresh(base);
    // rawData is little-endian by the ONNX spec; copy so the bytes do not alias a larger buffer.
    const bytes = new Uint8Array(new Float32Array(data).buffer);
    this.initializers.push({ name, dataType: FLOAT, dims: [...dims], rawData: bytes });
    return name;
  }

  int64Tensor(base: string, values: readonly number[]): string {
    const name = this.fresh(base);
    const bytes = new Uint8Array(BigInt64Array.from(values.map((v) => BigInt(v))).buffer);
    this.initializers.push({ name, dataType: INT64, dims: [values.length], rawData: bytes });
    return name;
  }

  /** A scalar float constant, broadcast by the elementwise ops that use it. */
  scalar(base: string, value: number): string {
    return this.floatTensor(base, [], [value]);
  }

  /** Add one node; returns the name of its (single) output. */
  op(opType: string, inputs: readonly string[], base: string, attrs: Readonly<Record<string, AttrValue>> = {}): string {
    const output = this.fresh(base);
    this.nodes.push({
      opType,
      name: output,
      input: [...inputs],
      output: [output],
      attribute: Object.entries(attrs).map(([name, v]) => attribute(name, v)),
    });
    return output;
  }

  /** Encode the whole model. `spec.output.name` must be the output of the last node added. */
  encode(spec: GraphSpec, finalValue: string): Uint8Array {
    const nodes = [...this.nodes];
    if (finalValue !== spec.output.name) nodes.push({ opType: "Identity", name: spec.output.name, input: [finalValue], output: [spec.output.name] });
    const model: onnxProto.onnx.IModelProto = {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: "", version: OPSET }],
      producerName: "ferc",
      producerVersion: spec.producerVersion,
      ...(spec.docString ? { docString: spec.docString } : {}),
      metadataProps: Object.entries(spec.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: spec.name,
        node: nodes,
        initializer: this.initializers,
        input: [valueInfo(spec.input.name, spec.input.dims)],
        output: [valueInfo(spec.output.name, spec.output.dims)],
      },
    };
    const err = onnx.ModelProto.verify(model);
    if (err) throw new Error(`ONNX model does not verify: ${err}`);
    return onnx.ModelProto.encode(model).finish();
  }
}

function attribute(name: string, v: AttrValue): onnxProto.onnx.IAttributeProto {
  if (typeof v === "number") {
    if (!Number.isInteger(v)) throw new Error(`attribute ${name}: ${v} is not an integer (wrap floats as { float })`);
    return { name, type: ATTR.INT, i: v };
  }
  if ("float" in v) return { name, type: ATTR.FLOAT, f: v.float };
  return { name, type: ATTR.INTS, ints: [...v] };
}

function valueInfo(name: string, dims: readonly (number | string)[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}
