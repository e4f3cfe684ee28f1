import { describe, expect, it } from 'vitest';
import { decodeFloat16, float16ToFloat32 } from './float16.js';

describe('float16ToFloat32', () => {
  it.each([
    [0x3c00, 1],
    [0xc000, -2],
    [0x3555, 0.333251953125],
    [0x7bff, 65504], // largest finite
    [0x0400, 2 ** -14], // smallest normal
    [0x0001, 2 ** -24], // smallest subnormal
    [0x03ff, 2 ** -14 * (1023 / 1024)], // largest subnormal
    [0x7c00, Infinity],
    [0xfc00, -Infinity],
  ])('0x%s → %s', (bits, value) => {
    expect(float16ToFloat32(bits)).toBe(value);
  });

  it('keeps the sign of zero and maps NaN', () => {
    expect(Object.is(float16ToFloat32(0x8000), -0)).toBe(true);
    expect(float16ToFloat32(0x7e00)).toBeNaN();
  });
});

describe('decodeFloat16', () => {
  it('reads little-endian values at an odd byte offset', () => {
    const bytes = new Uint8Array([0xff, 0x00, 0x3c, 0x00, 0xc0, 0x08, 0x20]);
    // 0x3c00 = 1, 0xc000 = -2, 0x2008 = 2^-7 · (1 + 8/1024)
    expect(Array.from(decodeFloat16(bytes, 1, 3))).toEqual([1, -2, 2 ** -7 * (1 + 8 / 1024)]);
  });
});
