import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.js';

describe('backoffDelayMs (full jitter)', () => {
  it('draws between the minimum and a ceiling that doubles per failure up to the maximum', () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, 1, 5, low))).toEqual([1000, 1000, 1000, 1000]);
    expect([1, 2, 3, 4, 10, 1000].map((n) => backoffDelayMs(n, 1, 5, high))).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('spreads retries across the whole range', () => {
    const delays = Array.from({ length: 500 }, () => backoffDelayMs(8, 1, 60));
    expect(Math.min(...delays)).toBeLessThan(10_000);
    expect(Math.max(...delays)).toBeGreaterThan(50_000);
    expect(delays.every((d) => d >= 1000 && d <= 60_000)).toBe(true);
  });

  it('still grows from a zero minimum', () => {
    expect(backoffDelayMs(4, 0, 10, () => 0.999999)).toBe(800);
  });
});
