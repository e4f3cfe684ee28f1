import { describe, expect, it } from 'vitest';
import { seeded } from '../../util/random.js';
import { distanceToPolyline, passesWithin } from './ink.js';

describe('ink geometry', () => {
  it('passesWithin agrees with the nearest distance to the line, on either side of the reach', () => {
    const rand = seeded(11);
    let near = 0;
    for (let n = 0; n < 2_000; n++) {
      const line = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => ({ x: rand() * 10, y: rand() * 10 }));
      const p = { x: rand() * 12 - 1, y: rand() * 12 - 1 };
      const reach = rand() * 3;
      const expected = distanceToPolyline(p, line) <= reach;
      if (expected) near++;
      expect(passesWithin(p, line, reach)).toBe(expected);
    }
    // Both answers were exercised.
    expect(near).toBeGreaterThan(200);
    expect(near).toBeLessThan(1_800);
  });

  it('measures a point beside a segment, beyond its ends, and on a zero-length segment', () => {
    expect(distanceToPolyline({ x: 1, y: 2 }, [{ x: 0, y: 0 }, { x: 4, y: 0 }])).toBeCloseTo(2);
    expect(distanceToPolyline({ x: 7, y: 4 }, [{ x: 0, y: 0 }, { x: 4, y: 0 }])).toBeCloseTo(5);
    expect(distanceToPolyline({ x: 3, y: 4 }, [{ x: 0, y: 0 }, { x: 0, y: 0 }])).toBeCloseTo(5);
    expect(passesWithin({ x: 3, y: 4 }, [{ x: 0, y: 0 }], 5)).toBe(true);
    expect(passesWithin({ x: 3, y: 4 }, [{ x: 0, y: 0 }], 4.9)).toBe(false);
  });
});
