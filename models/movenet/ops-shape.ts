import { type ConvertContext, dataInputCount } from './context.js';
import { dim } from './layout.js';
import { OnnxType, attr } from './onnx-graph.js';
import { attrInt, attrInts, attrType } from './tf-attrs.js';
import type { TfNode } from './tfjs-model.js';
import { onnxType } from './ops-elementwise.js';

/*
 * Shape-manipulating and gathering ops. They only occur in MoveNet's decoding tail, on tensors in
 * TF layout, so each takes its inputs in TF layout. Shapes are tracked where known; nothing after
 * these ops needs them, so an unknown shape is not an error here.
 */

type Shape = readonly number[] | undefined;

function define(ctx: ConvertContext, ref: string, onnx: string, shape: Shape): void {
  ctx.define(ref, shape ? { onnx, layout: 'tf', shape } : { onnx, layout: 'tf' });
}

/** TF allows negative axes counted from the end of a tensor of rank `rank`. */
function normalise(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

export function convertReshape(node: TfNode, ctx: ConvertContext): void {
  const target = ctx.constantInts(node, 1);
  const out = ctx.builder.op('Reshape', [ctx.tf(node, 0), ctx.builder.int64(`${node.name}/shape`, target, [target.length])], node.name);
  const input = ctx.shape(node, 0);
  let shape: Shape;
  if (input) {
    const total = input.reduce((a, b) => a * b, 1);
    const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    shape = target.map((d) => (d === -1 ? total / known : d));
  }
  define(ctx, node.name, out, shape);
}

export function convertExpandDims(node: TfNode, ctx: ConvertContext): void {
  const input = ctx.shape(node, 0);
  const [axis] = ctx.constantInts(node, 1);
  if (axis === undefined) throw new Error(`node "${node.name}" (${node.op}): empty axis`);
  const out = ctx.builder.op('Unsqueeze', [ctx.tf(node, 0), ctx.builder.int64(`${node.name}/axes`, [axis], [1])], node.name);
  const shape = input && [...input.slice(0, normalise(axis, input.length + 1)), 1, ...input.slice(normalise(axis, input.length + 1))];
  define(ctx, node.name, out, shape);
}

export function convertSqueeze(node: TfNode, ctx: ConvertContext): void {
  const input = ctx.shape(node, 0);
  const axes = attrInts(node, 'squeeze_dims', []);
  if (axes.length === 0 && !input) throw new Error(`node "${node.name}" (${node.op}): squeezing all unit axes needs a known shape`);
  const squeezed = axes.length > 0 ? axes : (input ?? []).flatMap((d, i) => (d === 1 ? [i] : []));
  const out = ctx.builder.op('Squeeze', [ctx.tf(node, 0), ctx.builder.int64(`${node.name}/axes`, squeezed, [squeezed.length])], node.name);
  const drop = new Set(squeezed.map((a) => normalise(a, input?.length ?? 0)));
  define(ctx, node.name, out, input?.filter((_, i) => !drop.has(i)));
}

/** Unpack → Split into unit slices along the axis, then Squeeze each (just Squeeze when num = 1). */
export function convertUnpack(node: TfNode, ctx: ConvertContext): void {
  const input = ctx.shape(node, 0);
  const num = attrInt(node, 'num');
  const axis = attrInt(node, 'axis');
  const b = ctx.builder;
  const axes = b.int64(`${node.name}/axes`, [axis], [1]);
  const slices =
    num === 1
      ? [ctx.tf(node, 0)]
      : b.opMulti('Split', [ctx.tf(node, 0), b.int64(`${node.name}/split`, new Array<number>(num).fill(1), [num])], Array.from({ length: num }, (_, k) => `${node.name}/slice${k}`), { axis: attr.int(axis) });
  const shape = input?.filter((_, i) => i !== normalise(axis, input.length));
  slices.forEach((slice, k) => define(ctx, k === 0 ? node.name : `${node.name}:${k}`, b.op('Squeeze', [slice, axes], k === 0 ? node.name : `${node.name}:${k}`), shape));
}

/** Pack → Unsqueeze every input at the new axis, then Concat along it. */
export function convertPack(node: TfNode, ctx: ConvertContext): void {
  const count = dataInputCount(node);
  const axis = attrInt(node, 'axis');
  const b = ctx.builder;
  const axes = b.int64(`${node.name}/axes`, [axis], [1]);
  const parts = Array.from({ length: count }, (_, i) => b.op('Unsqueeze', [ctx.tf(node, i), axes], `${node.name}/part${i}`));
  const input = ctx.shape(node, 0);
  const shape = input && [...input.slice(0, normalise(axis, input.length + 1)), count, ...input.slice(normalise(axis, input.length + 1))];
  define(ctx, node.name, b.op('Concat', parts, node.name, { axis: attr.int(axis) }), shape);
}

export function convertConcat(node: TfNode, ctx: ConvertContext): void {
  const count = dataInputCount(node) - 1; // the last input is the axis
  const [axis] = ctx.constantInts(node, count);
  if (axis === undefined) throw new Error(`node "${node.name}" (${node.op}): empty axis`);
  const inputs = Array.from({ length: count }, (_, i) => ctx.tf(node, i));
  const shapes = Array.from({ length: count }, (_, i) => ctx.shape(node, i));
  let shape: Shape;
  if (shapes.every((s) => s !== undefined)) {
    const first = shapes[0] ?? [];
    const a = normalise(axis, first.length);
    shape = first.map((d, i) => (i === a ? shapes.reduce((sum, s) => sum + dim(s ?? [], i), 0) : d));
  }
  define(ctx, node.name, ctx.builder.op('Concat', inputs, node.name, { axis: attr.int(axis) }), shape);
}

/** ONNX ArgMax yields int64 and, like TF, the first index on ties; cast to TF's output_type. */
export function convertArgMax(node: TfNode, ctx: ConvertContext): void {
  const input = ctx.shape(node, 0);
  const [axis] = ctx.constantInts(node, 1);
  if (axis === undefined) throw new Error(`node "${node.name}" (${node.op}): empty axis`);
  const b = ctx.builder;
  let out = b.op('ArgMax', [ctx.tf(node, 0)], `${node.name}/int64`, { axis: attr.int(axis), keepdims: attr.int(0) });
  const type = onnxType(node, attrType(node, 'output_type'));
  if (type !== OnnxType.INT64) out = b.op('Cast', [out], node.name, { to: attr.int(type) });
  define(ctx, node.name, out, input?.filter((_, i) => i !== normalise(axis, input.length)));
}

/** TF GatherNd = ONNX GatherND with batch_dims 0; ONNX only takes int64 indices. */
export function convertGatherNd(node: TfNode, ctx: ConvertContext): void {
  const b = ctx.builder;
  let indices: string;
  if (ctx.isConst(node, 1)) {
    const constant = ctx.constant(node, 1);
    indices = b.int64(`${node.name}/indices`, constant.data, constant.shape);
  } else {
    indices = b.op('Cast', [ctx.tf(node, 1)], `${node.name}/indices`, { to: attr.int(OnnxType.INT64) });
  }
  const params = ctx.shape(node, 0);
  const index = ctx.shape(node, 1);
  const depth = index?.[index.length - 1];
  const shape = params && index && depth !== undefined ? [...index.slice(0, -1), ...params.slice(depth)] : undefined;
  define(ctx, node.name, b.op('GatherND', [ctx.tf(node, 0), indices], node.name), shape);
}
