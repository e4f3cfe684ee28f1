import { describe, expect, it } from 'vitest';
import { admits, pressureOf } from './capacity.js';

describe('capacity policy', () => {
  it('pressure is high from 80 % and full from 100 % of maxBytes', () => {
    expect([0, 799, 800, 999, 1000, 1200].map((used) => pressureOf(used, 1000))).toEqual(['normal', 'normal', 'high', 'high', 'full', 'full']);
  });

  it('refuses telemetry first, then events, and results only beyond the 10 % reserve', () => {
    const limit = (priority: 'result' | 'event' | 'telemetry'): number => {
      let used = 0;
      while (admits(priority, used + 1, 1000)) used++;
      return used;
    };
    expect(limit('telemetry')).toBe(799);
    expect(limit('event')).toBe(999);
    expect(limit('result')).toBe(1100);
  });
});
