import * as ort from 'onnxruntime-node';

/** Runs ONNX bytes once on a 192×192 RGB frame (single-threaded, as on the box) and returns the named outputs. */
export async function runMovenetOnnx(bytes: Uint8Array, rgb: Uint8Array, outputs: readonly string[]): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
  try {
    const result = await session.run({ input: new ort.Tensor('int32', Int32Array.from(rgb), [1, 192, 192, 3]) });
    return outputs.map((name) => {
      const tensor = result[name];
      if (!tensor) throw new Error(`no output ${name}`);
      return tensor.data as Float32Array;
    });
  } finally {
    await session.release();
  }
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  return a.reduce((max, v, i) => Math.max(max, Math.abs(v - (b[i] ?? NaN))), 0);
}
