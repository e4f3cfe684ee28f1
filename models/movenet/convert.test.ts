import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { OPSET, convertGraph } from './convert.js';
import { encodeOnnxModel } from './onnx-proto.js';
import type { TfAttr, TfModel, TfNode, TfTensor } from './tfjs-model.js';

const s = (text: string): TfAttr => ({ s: Buffer.from(text).toString('base64') });
const ints = (...values: number[]): TfAttr => ({ list: { i: values.map(String) } });
const strings = (...values: string[]): TfAttr => ({ list: { s: values.map((v) => Buffer.from(v).toString('base64')) } });
const placeholder = (name: string, dtype: string, dims: number[]): TfNode => ({
  name,
  op: 'Placeholder',
  attr: { dtype: { type: dtype }, shape: { shape: { dim: dims.map((d) => ({ size: String(d) })) } } },
});
const random = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 0.5);

function model(nodes: TfNode[], weights: Record<string, TfTensor>, output: string): TfModel {
  return { nodes, weights: new Map(Object.entries(weights)), inputs: ['x'], outputs: [output] };
}

async function runOnnx(m: TfModel, input: ort.Tensor): Promise<Float32Array> {
  const bytes = encodeOnnxModel(convertGraph(m), { opset: OPSET, producerName: 'test', producerVersion: '0', docString: '', metadata: {} });
  const session = await ort.InferenceSession.create(bytes);
  const result = await session.run({ x: input });
  const out = result[session.outputNames[0] ?? ''];
  await session.release();
  return out?.data as Float32Array;
}

describe('convertGraph', () => {
  it('refuses an op it does not know, naming the op and the node', () => {
    const m = model([placeholder('x', 'DT_FLOAT', [1, 4]), { name: 'blk/erf', op: 'Erf', input: ['x'] }], {}, 'blk/erf');
    expect(() => convertGraph(m)).toThrow(/unsupported TF op "Erf" at node "blk\/erf"/);
  });

  it('refuses fused activations it does not map', () => {
    const conv: TfNode = {
      name: 'c',
      op: '_FusedConv2D',
      input: ['x', 'w', 'b'],
      attr: { strides: ints(1, 1, 1, 1), padding: s('SAME'), fused_ops: strings('BiasAdd', 'Prelu'), num_args: { i: '2' } },
    };
    const weights: Record<string, TfTensor> = {
      w: { dtype: 'float32', shape: [1, 1, 2, 2], data: random(4, 1) },
      b: { dtype: 'float32', shape: [2], data: random(2, 2) },
    };
    expect(() => convertGraph(model([placeholder('x', 'DT_FLOAT', [1, 4, 4, 2]), conv], weights, 'c'))).toThrow(/node "c".*BiasAdd, Prelu/);
  });

  it('matches TF.js on a strided SAME conv + Relu6, a depthwise conv and a half-pixel 2× resize', async () => {
    const weights: Record<string, TfTensor> = {
      w: { dtype: 'float32', shape: [3, 3, 3, 4], data: random(108, 1) },
      b: { dtype: 'float32', shape: [4], data: random(4, 2) },
      dw: { dtype: 'float32', shape: [3, 3, 4, 1], data: random(36, 3) },
      size: { dtype: 'int32', shape: [2], data: Int32Array.from([10, 10]) },
    };
    const nodes: TfNode[] = [
      placeholder('x', 'DT_FLOAT', [1, 10, 10, 3]),
      { name: 'c', op: '_FusedConv2D', input: ['x', 'w', 'b'], attr: { strides: ints(1, 2, 2, 1), padding: s('SAME'), fused_ops: strings('BiasAdd', 'Relu6') } },
      { name: 'd', op: 'DepthwiseConv2dNative', input: ['c', 'dw'], attr: { strides: ints(1, 1, 1, 1), padding: s('SAME') } },
      { name: 'r', op: 'ResizeBilinear', input: ['d', 'size'], attr: { half_pixel_centers: { b: true }, align_corners: { b: false } } },
    ];
    const x = Float32Array.from({ length: 300 }, (_, i) => ((i * 37) % 101) / 10 - 5);
    const actual = await runOnnx(model(nodes, weights, 'r'), new ort.Tensor('float32', x, [1, 10, 10, 3]));

    await tf.setBackend('cpu');
    const conv = tf.clipByValue(tf.add(tf.conv2d(tf.tensor4d(x, [1, 10, 10, 3]), tf.tensor4d(weights['w']?.data as Float32Array, [3, 3, 3, 4]), 2, 'same'), tf.tensor1d(weights['b']?.data as Float32Array)), 0, 6);
    const depthwise = tf.depthwiseConv2d(conv as tf.Tensor4D, tf.tensor4d(weights['dw']?.data as Float32Array, [3, 3, 4, 1]), 1, 'same');
    const expected = await tf.image.resizeBilinear(depthwise, [10, 10], false, true).data();
    expect(actual.length).toBe(expected.length);
    const diff = actual.reduce((max, v, i) => Math.max(max, Math.abs(v - (expected[i] ?? NaN))), 0);
    expect(diff).toBeLessThan(1e-5);
  });

  it('rounds integer FloorDiv toward −∞ for every sign combination', async () => {
    const run = async (divisor: number): Promise<number[]> => {
      const nodes: TfNode[] = [
        placeholder('x', 'DT_INT32', [6]),
        { name: 'q', op: 'FloorDiv', input: ['x', 'd'], attr: { T: { type: 'DT_INT32' } } },
        { name: 'f', op: 'Cast', input: ['q'], attr: { DstT: { type: 'DT_FLOAT' } } },
      ];
      const weights: Record<string, TfTensor> = { d: { dtype: 'int32', shape: [], data: Int32Array.from([divisor]) } };
      return Array.from(await runOnnx(model(nodes, weights, 'f'), new ort.Tensor('int32', Int32Array.from([-7, -1, 0, 3, 8, 9]), [6])));
    };
    expect(await run(4)).toEqual([-2, -1, 0, 0, 2, 2]);
    expect(await run(-4)).toEqual([1, 0, 0, -1, -2, -3]);
  });
});
