import { describe, expect, it } from 'vitest';
import { DotTrail } from './dot-trail.js';

const dot = (i: number) => ({ x: 1234.56 + i / 100, y: 78.9 - i, t: 1_764_000_000_008 + i * 8, force: 300 + i });

describe('packed dots', () => {
  it('keeps every value exactly as pushed while growing past its first room', () => {
    const trail = new DotTrail(2);
    const dots = Array.from({ length: 100 }, (_, i) => dot(i));
    for (const d of dots) trail.push(d.x, d.y, d.t, d.force);
    expect(trail.length).toBe(100);
    expect(trail.toArray()).toEqual(dots);
    expect([trail.x(99), trail.y(99), trail.t(99), trail.force(99)]).toEqual([dots[99]!.x, dots[99]!.y, dots[99]!.t, dots[99]!.force]);
  });

  it('drops one dot, the later ones moving up, and fits its room to what is left', () => {
    const trail = DotTrail.of([dot(0), dot(1), dot(2), dot(3)]);
    trail.remove(1);
    expect(trail.toArray()).toEqual([dot(0), dot(2), dot(3)]);
    trail.push(dot(4).x, dot(4).y, dot(4).t, dot(4).force);
    trail.fit();
    // Fitted, it equals a trail made from the same dots: strokes compare equal after a journal round trip.
    expect(trail).toEqual(DotTrail.of([dot(0), dot(2), dot(3), dot(4)]));
  });
});
