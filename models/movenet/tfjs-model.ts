import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { decodeFloat16 } from './float16.js';

/** The parts of a TF.js graph-model `model.json` the converter reads. */
export interface TfAttr {
  readonly s?: string;
  readonly i?: string;
  readonly f?: number;
  readonly b?: boolean;
  readonly type?: string;
  readonly list?: { readonly s?: readonly string[]; readonly i?: readonly string[] };
  readonly shape?: { readonly dim?: readonly { readonly size: string }[] };
}

export interface TfNode {
  readonly name: string;
  readonly op: string;
  readonly input?: readonly string[];
  readonly attr?: Readonly<Record<string, TfAttr>>;
}

export type TfTensor =
  | { readonly dtype: 'float32'; readonly shape: readonly number[]; readonly data: Float32Array }
  | { readonly dtype: 'int32'; readonly shape: readonly number[]; readonly data: Int32Array };

export interface TfModel {
  readonly nodes: readonly TfNode[];
  readonly weights: ReadonlyMap<string, TfTensor>;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string };
}

interface ModelJson {
  format: string;
  signature?: { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
  modelTopology: { node: TfNode[] };
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

/** Reads model.json and its weight shards from disk (never over the network). */
export function readTfjsModel(modelJsonPath: string): TfModel {
  const json = JSON.parse(readFileSync(modelJsonPath, 'utf8')) as ModelJson;
  if (json.format !== 'graph-model') throw new Error(`${modelJsonPath}: not a TF.js graph model (format ${json.format})`);
  const weights = new Map<string, TfTensor>();
  for (const group of json.weightsManifest) {
    const bytes = Buffer.concat(group.paths.map((p) => readFileSync(join(dirname(modelJsonPath), p))));
    const end = decodeWeightGroup(group.weights, bytes, weights);
    if (end !== bytes.length) throw new Error(`${modelJsonPath}: weights use ${end} of ${bytes.length} bytes`);
  }
  const names = (sig: Record<string, unknown> | undefined): string[] => Object.keys(sig ?? {}).map(stripPort);
  return { nodes: json.modelTopology.node, weights, inputs: names(json.signature?.inputs), outputs: names(json.signature?.outputs) };
}

/** Decodes consecutive weights; returns the number of bytes consumed. */
function decodeWeightGroup(specs: readonly WeightSpec[], bytes: Uint8Array, into: Map<string, TfTensor>): number {
  let offset = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const stored = spec.quantization?.dtype ?? spec.dtype;
    if (spec.dtype === 'float32' && stored === 'float16') {
      into.set(spec.name, { dtype: 'float32', shape: spec.shape, data: decodeFloat16(bytes, offset, count) });
      offset += count * 2;
    } else if (spec.dtype === 'float32' && stored === 'float32') {
      into.set(spec.name, { dtype: 'float32', shape: spec.shape, data: new Float32Array(copy(bytes, offset, count * 4)) });
      offset += count * 4;
    } else if (spec.dtype === 'int32' && stored === 'int32') {
      into.set(spec.name, { dtype: 'int32', shape: spec.shape, data: new Int32Array(copy(bytes, offset, count * 4)) });
      offset += count * 4;
    } else {
      throw new Error(`weight ${spec.name}: unsupported storage ${spec.dtype} as ${stored}`);
    }
  }
  return offset;
}

/**
 * A copy into a fresh ArrayBuffer: offsets after float16 weights need not be multiples of 4, and
 * a Node Buffer's `.buffer` is a shared pool, so neither a view nor `Buffer.slice` would do.
 */
function copy(bytes: Uint8Array, offset: number, length: number): ArrayBuffer {
  const out = new Uint8Array(length);
  out.set(bytes.subarray(offset, offset + length));
  return out.buffer;
}

/** `name:0` → `name`; TF.js signatures carry the port, graph node names do not. */
function stripPort(ref: string): string {
  return ref.endsWith(':0') ? ref.slice(0, -2) : ref;
}
