import { type ConvertContext, dataInputCount } from './context.js';
import { depthwiseToGroupedOihw, dim, hwioToOihw } from './layout.js';
import { attr } from './onnx-graph.js';
import { type AxisPadding, samePadding, validPadding } from './padding.js';
import { attrBool, attrInts, attrString, attrStrings } from './tf-attrs.js';
import type { TfNode } from './tfjs-model.js';

/**
 * Conv2D, depthwise and their TF.js-fused forms → one ONNX Conv (bias as Conv's B input, which
 * ORT fuses like tf2onnx's Conv+Add) followed by the activation: Relu6 → Clip(0, 6), Relu → Relu.
 */
export function convertConv(node: TfNode, ctx: ConvertContext, kind: 'conv' | 'depthwise'): void {
  const where = `node "${node.name}" (${node.op})`;
  const format = node.attr?.['data_format'] ? attrString(node, 'data_format') : 'NHWC';
  if (format !== 'NHWC') throw new Error(`${where}: data_format ${format} is not supported`);
  const x = ctx.value(node, 0);
  if (x.shape?.length !== 4) throw new Error(`${where}: input shape must be known and rank 4`);
  const [batch, height, width] = [dim(x.shape, 0), dim(x.shape, 1), dim(x.shape, 2)];

  const kernel = ctx.constant(node, 1);
  if (kernel.dtype !== 'float32') throw new Error(`${where}: kernel must be float32`);
  const weight = kind === 'conv' ? hwioToOihw(kernel.data, kernel.shape) : depthwiseToGroupedOihw(kernel.data, kernel.shape);
  const [outChannels, kh, kw] = [dim(weight.shape, 0), dim(weight.shape, 2), dim(weight.shape, 3)];
  const strides = attrInts(node, 'strides');
  const dilations = attrInts(node, 'dilations', [1, 1, 1, 1]);
  if (dim(strides, 0) !== 1 || dim(strides, 3) !== 1) throw new Error(`${where}: batch/channel strides are not supported`);
  const pad = padder(node);
  const ph = pad(height, kh, dim(strides, 1), dim(dilations, 1));
  const pw = pad(width, kw, dim(strides, 2), dim(dilations, 2));

  const b = ctx.builder;
  const inputs = [ctx.nchw(node, 0), b.float(`${node.name}/weight`, weight.data, weight.shape)];
  const activation = fusedActivation(node, where);
  if (activation.bias) {
    const bias = ctx.constant(node, 2);
    if (bias.dtype !== 'float32') throw new Error(`${where}: bias must be float32`);
    inputs.push(b.float(`${node.name}/bias`, bias.data, bias.shape));
  }
  let out = b.op('Conv', inputs, activation.name ? `${node.name}/conv` : node.name, {
    kernel_shape: attr.ints([kh, kw]),
    strides: attr.ints([dim(strides, 1), dim(strides, 2)]),
    dilations: attr.ints([dim(dilations, 1), dim(dilations, 2)]),
    pads: attr.ints([ph.begin, pw.begin, ph.end, pw.end]),
    group: attr.int(kind === 'depthwise' ? dim(x.shape, 3) : 1),
  });
  if (activation.name === 'Relu6') out = b.op('Clip', [out, ctx.scalar(0), ctx.scalar(6)], node.name);
  if (activation.name === 'Relu') out = b.op('Relu', [out], node.name);
  ctx.define(node.name, { onnx: out, layout: 'nchw', shape: [batch, ph.out, pw.out, outChannels] });
}

/** TF's ResizeBilinear → ONNX Resize(linear) with the matching coordinate transform. */
export function convertResizeBilinear(node: TfNode, ctx: ConvertContext): void {
  const x = ctx.value(node, 0);
  if (x.shape?.length !== 4) throw new Error(`node "${node.name}" (${node.op}): input shape must be known and rank 4`);
  const [height, width] = ctx.constantInts(node, 1);
  if (height === undefined || width === undefined) throw new Error(`node "${node.name}" (${node.op}): size must hold 2 values`);
  const transform = attrBool(node, 'align_corners') ? 'align_corners' : attrBool(node, 'half_pixel_centers') ? 'half_pixel' : 'asymmetric';
  const shape = [dim(x.shape, 0), height, width, dim(x.shape, 3)];
  const b = ctx.builder;
  const sizes = b.int64(`${node.name}/sizes`, [dim(shape, 0), dim(shape, 3), height, width], [4]);
  const out = b.op('Resize', [ctx.nchw(node, 0), '', '', sizes], node.name, {
    mode: attr.string('linear'),
    coordinate_transformation_mode: attr.string(transform),
  });
  ctx.define(node.name, { onnx: out, layout: 'nchw', shape });
}

function padder(node: TfNode): (size: number, kernel: number, stride: number, dilation: number) => AxisPadding {
  const padding = attrString(node, 'padding');
  if (padding === 'SAME') return samePadding;
  if (padding === 'VALID') return validPadding;
  throw new Error(`node "${node.name}" (${node.op}): padding ${padding} is not supported`);
}

/** Plain convs have no fused ops; fused ones must be BiasAdd optionally followed by Relu/Relu6. */
function fusedActivation(node: TfNode, where: string): { bias: boolean; name?: 'Relu' | 'Relu6' } {
  const fused = attrStrings(node, 'fused_ops');
  if (fused.length === 0) {
    if (dataInputCount(node) !== 2) throw new Error(`${where}: unexpected extra inputs without fused_ops`);
    return { bias: false };
  }
  const [first, second, ...rest] = fused;
  if (first !== 'BiasAdd' || rest.length > 0 || (second !== undefined && second !== 'Relu' && second !== 'Relu6')) {
    throw new Error(`${where}: fused_ops [${fused.join(', ')}] are not supported (only BiasAdd[, Relu|Relu6])`);
  }
  return second === undefined ? { bias: true } : { bias: true, name: second };
}
