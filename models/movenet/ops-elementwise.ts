import type { ConvertContext, Layout } from './context.js';
import { dim } from './layout.js';
import { OnnxType, attr } from './onnx-graph.js';
import { attrType } from './tf-attrs.js';
import type { TfNode } from './tfjs-model.js';

/** TF binary ops whose ONNX counterpart has the same numpy broadcasting. */
const BINARY: Readonly<Record<string, string>> = { AddV2: 'Add', Sub: 'Sub', Mul: 'Mul', RealDiv: 'Div' };

/**
 * Elementwise binary ops. They run in NCHW when a variable input is already NCHW and the other is
 * NCHW too or a constant (which is re-laid out at conversion time); otherwise in TF layout.
 */
export function convertBinary(node: TfNode, ctx: ConvertContext): void {
  const layout = binaryLayout(node, ctx);
  const [a, b] = layout === 'nchw' ? [ctx.nchw(node, 0), ctx.nchw(node, 1)] : [ctx.tf(node, 0), ctx.tf(node, 1)];
  const builder = ctx.builder;
  let out: string;
  if (node.op === 'SquaredDifference') {
    const diff = builder.op('Sub', [a, b], `${node.name}/diff`);
    out = builder.op('Mul', [diff, diff], node.name);
  } else if (node.op === 'FloorDiv') {
    out = floorDiv(node, ctx, a, b);
  } else {
    const onnxOp = BINARY[node.op];
    if (!onnxOp) throw new Error(`node "${node.name}": ${node.op} is not a binary op`);
    out = builder.op(onnxOp, [a, b], node.name);
  }
  const shape = broadcast(ctx.shape(node, 0), ctx.shape(node, 1));
  ctx.define(node.name, shape ? { onnx: out, layout, shape } : { onnx: out, layout });
}

/** Sigmoid, Sqrt, Identity and Cast keep their input's layout: no transpose is needed. */
export function convertUnary(node: TfNode, ctx: ConvertContext): void {
  const x = ctx.value(node, 0);
  const b = ctx.builder;
  const out =
    node.op === 'Cast'
      ? b.op('Cast', [x.onnx], node.name, { to: attr.int(onnxType(node, attrType(node, 'DstT'))) })
      : b.op(node.op, [x.onnx], node.name);
  ctx.define(node.name, x.shape ? { onnx: out, layout: x.layout, shape: x.shape } : { onnx: out, layout: x.layout });
}

export function onnxType(node: TfNode, tfType: string): OnnxType {
  if (tfType === 'DT_FLOAT') return OnnxType.FLOAT;
  if (tfType === 'DT_INT32') return OnnxType.INT32;
  if (tfType === 'DT_INT64') return OnnxType.INT64;
  throw new Error(`node "${node.name}" (${node.op}): dtype ${tfType} is not supported`);
}

/**
 * TF FloorDiv rounds toward −∞; ONNX integer Div truncates toward 0. a − mod(a, b) with
 * Python-style Mod (fmod=0, sign of the divisor, like TF's FloorMod) is an exact multiple of b,
 * so the integer Div of it is the floor for any signs. Floats simply take Floor(Div).
 */
function floorDiv(node: TfNode, ctx: ConvertContext, a: string, b: string): string {
  const builder = ctx.builder;
  if (attrType(node, 'T') === 'DT_FLOAT') return builder.op('Floor', [builder.op('Div', [a, b], `${node.name}/div`)], node.name);
  const remainder = builder.op('Mod', [a, b], `${node.name}/mod`, { fmod: attr.int(0) });
  const multiple = builder.op('Sub', [a, remainder], `${node.name}/multiple`);
  return builder.op('Div', [multiple, b], node.name);
}

function binaryLayout(node: TfNode, ctx: ConvertContext): Layout {
  let anyNchw = false;
  for (const i of [0, 1]) {
    if (ctx.isConst(node, i)) {
      if (ctx.constant(node, i).shape.length > 4) return 'tf';
    } else if (ctx.value(node, i).layout === 'nchw') {
      anyNchw = true;
    } else {
      return 'tf';
    }
  }
  return anyNchw ? 'nchw' : 'tf';
}

/** Numpy/TF broadcasting of two known shapes. */
export function broadcast(a: readonly number[] | undefined, b: readonly number[] | undefined): readonly number[] | undefined {
  if (!a || !b) return undefined;
  const rank = Math.max(a.length, b.length);
  const pa = [...new Array<number>(rank - a.length).fill(1), ...a];
  const pb = [...new Array<number>(rank - b.length).fill(1), ...b];
  return pa.map((x, i) => (x === 1 ? dim(pb, i) : x));
}
