import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { samePadding, validPadding } from './padding.js';

describe('samePadding', () => {
  it.each([
    // size, kernel, stride → begin, end, out
    [192, 3, 2, 0, 1, 96], // MoveNet's first conv: the odd pixel goes at the end
    [193, 3, 2, 1, 1, 97],
    [48, 3, 1, 1, 1, 48],
    [96, 5, 2, 1, 2, 48],
    [12, 1, 1, 0, 0, 12],
  ])('in %i, k %i, s %i → pads %i/%i, out %i', (size, kernel, stride, begin, end, out) => {
    expect(samePadding(size, kernel, stride)).toEqual({ begin, end, out });
  });

  it('accounts for dilation', () => {
    expect(samePadding(10, 3, 1, 2)).toEqual({ begin: 2, end: 2, out: 10 });
  });

  it('reproduces TF SAME exactly: explicit pad + VALID conv equals TF.js conv with SAME', async () => {
    await tf.setBackend('cpu');
    for (const [size, kernel, stride] of [[9, 3, 2], [10, 3, 2], [8, 5, 2], [7, 3, 1]] as const) {
      const x = tf.randomUniform([1, size, size, 2], -1, 1, 'float32', 7);
      const w = tf.randomUniform([kernel, kernel, 2, 3], -1, 1, 'float32', 11);
      const p = samePadding(size, kernel, stride);
      const same = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, 'same');
      const padded = tf.pad(x, [[0, 0], [p.begin, p.end], [p.begin, p.end], [0, 0]]);
      const explicit = tf.conv2d(padded as tf.Tensor4D, w as tf.Tensor4D, stride, 'valid');
      expect(explicit.shape).toEqual([1, p.out, p.out, 3]);
      const diff = await tf.max(tf.abs(tf.sub(same, explicit))).data();
      expect(diff[0]).toBeLessThan(1e-6);
    }
  });
});

describe('validPadding', () => {
  it('keeps whole windows only', () => {
    expect(validPadding(48, 3, 1)).toEqual({ begin: 0, end: 0, out: 46 });
    expect(validPadding(9, 3, 2)).toEqual({ begin: 0, end: 0, out: 4 });
  });
});
