import { broadcastConstToNchw } from './layout.js';
import { type OnnxGraphBuilder, attr } from './onnx-graph.js';
import type { TfNode, TfTensor } from './tfjs-model.js';

/**
 * How an ONNX value is laid out. TF tensors are NHWC; ONNX Conv/Resize need NCHW. Values produced
 * by convolutions stay NCHW and are transposed back only where an op needs TF layout, so the
 * backbone runs with a single Transpose at its entry.
 */
export type Layout = 'tf' | 'nchw';

export interface Value {
  readonly onnx: string;
  readonly layout: Layout;
  /** The TF (NHWC) shape, when the converter could infer it; convolutions require it. */
  readonly shape?: readonly number[];
}

const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

export class ConvertContext {
  private readonly values = new Map<string, Value>();
  /** Transposed values and shared constants, so each is emitted once. */
  private readonly cache = new Map<string, string>();

  constructor(
    readonly builder: OnnxGraphBuilder,
    private readonly weights: ReadonlyMap<string, TfTensor>,
  ) {}

  define(ref: string, value: Value): void {
    this.values.set(ref, value);
  }

  isConst(node: TfNode, index: number): boolean {
    return this.weights.has(inputRef(node, index));
  }

  /** The TF constant feeding input `index` (e.g. a kernel, a shape, an axis). */
  constant(node: TfNode, index: number): TfTensor {
    const ref = inputRef(node, index);
    const tensor = this.weights.get(ref);
    if (!tensor) throw new Error(`node "${node.name}" (${node.op}): input ${index} ("${ref}") must be a constant`);
    return tensor;
  }

  /** A constant that is used as a scalar or a list of integers (axes, sizes, shapes). */
  constantInts(node: TfNode, index: number): number[] {
    return Array.from(this.constant(node, index).data);
  }

  /** The TF shape of input `index`, without materialising a constant as an initializer. */
  shape(node: TfNode, index: number): readonly number[] | undefined {
    return this.isConst(node, index) ? this.constant(node, index).shape : this.value(node, index).shape;
  }

  value(node: TfNode, index: number): Value {
    const ref = inputRef(node, index);
    const known = this.values.get(ref);
    if (known) return known;
    const tensor = this.weights.get(ref);
    if (!tensor) throw new Error(`node "${node.name}" (${node.op}): input "${ref}" was not converted`);
    // Constants become initializers only when an op consumes them as data.
    const onnx = tensor.dtype === 'float32' ? this.builder.float(ref, tensor.data, tensor.shape) : this.builder.int32(ref, tensor.data, tensor.shape);
    const value: Value = { onnx, layout: 'tf', shape: tensor.shape };
    this.values.set(ref, value);
    return value;
  }

  /** A float32 scalar initializer, shared by every op that needs the same value. */
  scalar(value: number): string {
    const key = `scalar:${value}`;
    let out = this.cache.get(key);
    if (!out) {
      out = this.builder.float(`const_${value}`, new Float32Array([value]), []);
      this.cache.set(key, out);
    }
    return out;
  }

  /** Input `index` in TF layout, transposing back from NCHW once and reusing the result. */
  tf(node: TfNode, index: number): string {
    const value = this.value(node, index);
    return value.layout === 'tf' ? value.onnx : this.transpose(value.onnx, TO_NHWC, 'nhwc');
  }

  /** Input `index` in NCHW; a constant is re-laid out at conversion time instead of transposed. */
  nchw(node: TfNode, index: number): string {
    if (this.isConst(node, index)) {
      const base = `${inputRef(node, index)}/nchw`;
      let out = this.cache.get(base);
      if (!out) {
        const tensor = this.constant(node, index);
        const { data, shape } = broadcastConstToNchw(tensor.data, tensor.shape);
        out = tensor.dtype === 'float32' ? this.builder.float(base, data as Float32Array, shape) : this.builder.int32(base, data as Int32Array, shape);
        this.cache.set(base, out);
      }
      return out;
    }
    const value = this.value(node, index);
    if (value.layout === 'nchw') return value.onnx;
    if (value.shape?.length !== 4) throw new Error(`node "${node.name}" (${node.op}): needs a rank-4 input, got ${describe(value)}`);
    return this.transpose(value.onnx, TO_NCHW, 'nchw');
  }

  private transpose(onnx: string, perm: readonly number[], suffix: string): string {
    const key = `${onnx}->${suffix}`;
    let out = this.cache.get(key);
    if (!out) {
      out = this.builder.op('Transpose', [onnx], `${onnx}/${suffix}`, { perm: attr.ints(perm) });
      this.cache.set(key, out);
    }
    return out;
  }
}

/** The producer reference of input `index`: `name` for port 0, `name:k` otherwise. */
export function inputRef(node: TfNode, index: number): string {
  const ref = node.input?.[index];
  if (ref === undefined) throw new Error(`node "${node.name}" (${node.op}): missing input ${index}`);
  return ref.endsWith(':0') ? ref.slice(0, -2) : ref;
}

export function dataInputCount(node: TfNode): number {
  return (node.input ?? []).filter((ref) => !ref.startsWith('^')).length;
}

function describe(value: Value): string {
  return value.shape ? `[${value.shape.join(', ')}]` : 'an input of unknown shape';
}
