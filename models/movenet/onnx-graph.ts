/** An in-memory ONNX graph, built node by node and serialised by onnx-proto.ts. */

export const OnnxType = { FLOAT: 1, INT32: 6, INT64: 7 } as const;
export type OnnxType = (typeof OnnxType)[keyof typeof OnnxType];

export type OnnxAttribute =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string };

export interface OnnxNode {
  readonly name: string;
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, OnnxAttribute>>;
}

export interface OnnxInitializer {
  readonly name: string;
  readonly type: OnnxType;
  readonly dims: readonly number[];
  /** Little-endian element bytes, as ONNX `raw_data` expects. */
  readonly raw: Uint8Array;
}

export interface OnnxValueInfo {
  readonly name: string;
  readonly type: OnnxType;
  /** Omitted for diagnostic outputs whose shape the converter did not infer. */
  readonly dims?: readonly number[];
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxInitializer[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

export const attr = {
  int: (value: number): OnnxAttribute => ({ kind: 'int', value }),
  ints: (value: readonly number[]): OnnxAttribute => ({ kind: 'ints', value }),
  float: (value: number): OnnxAttribute => ({ kind: 'float', value }),
  string: (value: string): OnnxAttribute => ({ kind: 'string', value }),
};

export class OnnxGraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxInitializer[] = [];
  readonly inputs: OnnxValueInfo[] = [];
  readonly outputs: OnnxValueInfo[] = [];
  private readonly names = new Set<string>();

  /** Reserves `base`, or `base_2`, `base_3`… if taken: ONNX requires single assignment. */
  unique(base: string): string {
    let name = base;
    for (let n = 2; this.names.has(name); n++) name = `${base}_${n}`;
    this.names.add(name);
    return name;
  }

  /** Claims an exact name (a graph input or output) before any node can take it. */
  reserve(name: string): string {
    if (this.names.has(name)) throw new Error(`ONNX name "${name}" is used twice`);
    this.names.add(name);
    return name;
  }

  /** Adds a node writing to a name claimed with reserve(). */
  opInto(opType: string, inputs: readonly string[], output: string): void {
    this.nodes.push({ name: this.unique(`${output}/${opType}`), opType, inputs, outputs: [output], attributes: {} });
  }

  /** Adds a node with one fresh output named after `base`; returns that output. */
  op(opType: string, inputs: readonly string[], base: string, attributes: Record<string, OnnxAttribute> = {}): string {
    const [output] = this.opMulti(opType, inputs, [base], attributes);
    return output ?? base;
  }

  opMulti(opType: string, inputs: readonly string[], bases: readonly string[], attributes: Record<string, OnnxAttribute> = {}): string[] {
    const outputs = bases.map((b) => this.unique(b));
    this.nodes.push({ name: this.unique(`${bases[0] ?? opType}/${opType}`), opType, inputs, outputs, attributes });
    return outputs;
  }

  float(base: string, data: Float32Array, dims: readonly number[]): string {
    return this.initializer(base, OnnxType.FLOAT, dims, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  int32(base: string, data: Int32Array, dims: readonly number[]): string {
    return this.initializer(base, OnnxType.INT32, dims, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  /** ONNX wants int64 for shapes, axes and gather indices where TF used int32. */
  int64(base: string, values: ArrayLike<number>, dims: readonly number[]): string {
    const data = BigInt64Array.from(Array.from(values, (v) => BigInt(v)));
    return this.initializer(base, OnnxType.INT64, dims, new Uint8Array(data.buffer));
  }

  graph(name: string): OnnxGraph {
    return { name, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs };
  }

  private initializer(base: string, type: OnnxType, dims: readonly number[], raw: Uint8Array): string {
    const name = this.unique(base);
    this.initializers.push({ name, type, dims, raw: raw.slice() });
    return name;
  }
}
