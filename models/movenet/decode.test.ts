import { describe, expect, it } from 'vitest';
import { KEYPOINT_NAMES, decodeKeypoints } from './decode.js';

describe('decodeKeypoints', () => {
  it('reads (y, x, score) rows in COCO order', () => {
    const output = Float32Array.from({ length: 51 }, (_, i) => i / 100);
    const keypoints = decodeKeypoints(output);
    expect(keypoints.map((k) => k.name)).toEqual([...KEYPOINT_NAMES]);
    expect(keypoints[16]).toEqual({ name: 'right_ankle', y: output[48], x: output[49], score: output[50] });
  });

  it('rejects output of the wrong size', () => {
    expect(() => decodeKeypoints(new Float32Array(50))).toThrow(/expected 51 values/);
  });
});
