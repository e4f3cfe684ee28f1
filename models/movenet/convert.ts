import { ConvertContext } from './context.js';
import { type OnnxGraph, OnnxGraphBuilder, OnnxType } from './onnx-graph.js';
import { convertConv, convertResizeBilinear } from './ops-conv.js';
import { convertBinary, convertUnary, onnxType } from './ops-elementwise.js';
import { convertArgMax, convertConcat, convertExpandDims, convertGatherNd, convertPack, convertReshape, convertSqueeze, convertUnpack } from './ops-shape.js';
import { attrType } from './tf-attrs.js';
import type { TfModel, TfNode } from './tfjs-model.js';

/** Opset 13: Resize with half_pixel, Split/Squeeze/Unsqueeze taking their axes as inputs. */
export const OPSET = 13;

type Handler = (node: TfNode, ctx: ConvertContext) => void;

/** Every TF op the converter knows; anything else is refused by name. */
const HANDLERS: Readonly<Record<string, Handler>> = {
  _FusedConv2D: (n, c) => convertConv(n, c, 'conv'),
  Conv2D: (n, c) => convertConv(n, c, 'conv'),
  FusedDepthwiseConv2dNative: (n, c) => convertConv(n, c, 'depthwise'),
  DepthwiseConv2dNative: (n, c) => convertConv(n, c, 'depthwise'),
  ResizeBilinear: convertResizeBilinear,
  AddV2: convertBinary,
  Sub: convertBinary,
  Mul: convertBinary,
  RealDiv: convertBinary,
  SquaredDifference: convertBinary,
  FloorDiv: convertBinary,
  Sigmoid: convertUnary,
  Sqrt: convertUnary,
  Identity: convertUnary,
  Cast: convertUnary,
  Reshape: convertReshape,
  ExpandDims: convertExpandDims,
  Squeeze: convertSqueeze,
  Unpack: convertUnpack,
  Pack: convertPack,
  ConcatV2: convertConcat,
  ArgMax: convertArgMax,
  GatherNd: convertGatherNd,
};

export const SUPPORTED_OPS: readonly string[] = ['Const', 'Placeholder', ...Object.keys(HANDLERS)];

export interface ConvertOptions {
  /** ONNX names for the model's signature inputs/outputs, by TF node name. */
  readonly rename?: Readonly<Record<string, string>>;
  /** Extra float32 TF tensors to expose as outputs (in TF layout), by TF node → ONNX name; for verification. */
  readonly extraOutputs?: Readonly<Record<string, string>>;
}

export function convertGraph(model: TfModel, options: ConvertOptions = {}): OnnxGraph {
  const names: Record<string, string> = { ...options.rename, ...options.extraOutputs };
  const rename = (name: string): string => names[name] ?? name;
  const builder = new OnnxGraphBuilder();
  const ctx = new ConvertContext(builder, model.weights);
  const byName = new Map(model.nodes.map((n) => [n.name, n]));
  const outputs = [...model.outputs, ...Object.keys(options.extraOutputs ?? {})];
  // The interface's names are claimed first so that no internal value can take them.
  for (const name of [...model.inputs, ...outputs]) builder.reserve(rename(name));

  for (const node of topologicalOrder(byName, model.weights, outputs)) {
    if (node.op === 'Const') continue;
    if (node.op === 'Placeholder') {
      const dims = (node.attr?.['shape']?.shape?.dim ?? []).map((d) => Number(d.size));
      const name = rename(node.name);
      builder.inputs.push({ name, type: onnxType(node, attrType(node, 'dtype')), dims });
      ctx.define(node.name, { onnx: name, layout: 'tf', shape: dims });
      continue;
    }
    const handler = HANDLERS[node.op];
    if (!handler) {
      throw new Error(`unsupported TF op "${node.op}" at node "${node.name}"; the converter knows ${SUPPORTED_OPS.join(', ')}`);
    }
    handler(node, ctx);
  }

  for (const output of outputs) {
    const carrier: TfNode = { name: output, op: 'output', input: [output] };
    const value = ctx.value(carrier, 0);
    const name = rename(output);
    builder.opInto('Identity', [ctx.tf(carrier, 0)], name);
    builder.outputs.push(value.shape ? { name, type: OnnxType.FLOAT, dims: value.shape } : { name, type: OnnxType.FLOAT });
  }
  return builder.graph('movenet');
}

/** Producers before consumers, restricted to what the outputs depend on. */
function topologicalOrder(byName: ReadonlyMap<string, TfNode>, weights: ReadonlyMap<string, unknown>, outputs: readonly string[]): TfNode[] {
  const order: TfNode[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): void => {
    const status = state.get(name);
    if (status === 'done') return;
    if (status === 'visiting') throw new Error(`the graph has a cycle through node "${name}"`);
    const node = byName.get(name);
    if (!node && weights.has(name)) return; // a weight without its Const node: nothing to order
    if (!node) throw new Error(`the graph refers to a missing node "${name}"`);
    state.set(name, 'visiting');
    for (const ref of node.input ?? []) visit(ref.replace(/^\^/, '').replace(/:\d+$/, ''));
    state.set(name, 'done');
    order.push(node);
  };
  for (const output of outputs) visit(output.replace(/:\d+$/, ''));
  return order;
}
