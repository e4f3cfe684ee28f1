import { describe, expect, it } from 'vitest';
import { percentile } from './percentile.js';

describe('percentile (nearest rank)', () => {
  it('picks the value at the rank, whatever the order, and leaves the input alone', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect([percentile(values, 0), percentile(values, 50), percentile(values, 95), percentile(values, 100)]).toEqual([1, 6, 10, 10]);
    expect(values[0]).toBe(5);
    expect(percentile([], 50)).toBeNaN();
  });
});
