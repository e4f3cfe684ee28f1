import { describe, expect, it } from 'vitest';
import { broadcastConstToNchw, depthwiseToGroupedOihw, hwioToOihw, transpose } from './layout.js';

/** Value at a multi-index of a row-major array. */
function at(data: Float32Array, shape: readonly number[], index: readonly number[]): number | undefined {
  let flat = 0;
  for (let axis = 0; axis < shape.length; axis++) flat = flat * (shape[axis] ?? 0) + (index[axis] ?? 0);
  return data[flat];
}

const iota = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => i);

describe('weight layouts', () => {
  it('transposes a matrix', () => {
    expect(Array.from(transpose(iota(6), [2, 3], [1, 0]))).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('maps a Conv2D kernel HWIO → OIHW element by element', () => {
    const shape = [3, 2, 4, 5]; // kh, kw, in, out
    const data = iota(3 * 2 * 4 * 5);
    const w = hwioToOihw(data, shape);
    expect(w.shape).toEqual([5, 4, 3, 2]);
    for (const [i, j, c, o] of [[0, 0, 0, 0], [2, 1, 3, 4], [1, 0, 2, 3]] as const) {
      expect(at(w.data, w.shape, [o, c, i, j])).toBe(at(data, shape, [i, j, c, o]));
    }
  });

  it('maps a depthwise kernel [kh,kw,C,M] to grouped weights with output channel c·M + m', () => {
    const shape = [3, 3, 4, 2]; // kh, kw, channels, multiplier
    const data = iota(3 * 3 * 4 * 2);
    const w = depthwiseToGroupedOihw(data, shape);
    expect(w.shape).toEqual([8, 1, 3, 3]);
    for (const [i, j, c, m] of [[0, 0, 0, 0], [2, 1, 3, 1], [1, 2, 2, 0]] as const) {
      expect(at(w.data, w.shape, [c * 2 + m, 0, i, j])).toBe(at(data, shape, [i, j, c, m]));
    }
  });

  it('re-lays out broadcast constants so they broadcast the same way against NCHW', () => {
    // MoveNet divides a [1,48,48,1] map by a [48,48,1] constant.
    const rank3 = broadcastConstToNchw(iota(6), [2, 3, 1]);
    expect(rank3.shape).toEqual([1, 1, 2, 3]);
    expect(Array.from(rank3.data)).toEqual([0, 1, 2, 3, 4, 5]);
    // A per-channel constant [1,1,1,C] becomes [1,C,1,1].
    const perChannel = broadcastConstToNchw(iota(3), [1, 1, 1, 3]);
    expect(perChannel.shape).toEqual([1, 3, 1, 1]);
    // A [1,2,2,2] tensor: NHWC (h,w,c) → NCHW (c,h,w).
    expect(Array.from(broadcastConstToNchw(iota(8), [1, 2, 2, 2]).data)).toEqual([0, 2, 4, 6, 1, 3, 5, 7]);
  });
});
