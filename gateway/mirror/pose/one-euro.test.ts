import { describe, expect, it } from 'vitest';
import { OneEuroFilter, POSE_ONE_EURO, PoseSmoother } from './one-euro.js';

/** Deterministic noise in [-1, 1]: tests must not pass or fail by luck. */
function noise(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  };
}

const std = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
};

describe('OneEuroFilter', () => {
  it('takes the jitter out of a keypoint that stands still', () => {
    const f = new OneEuroFilter(POSE_ONE_EURO);
    const rand = noise(1);
    const raw: number[] = [];
    const out: number[] = [];
    for (let i = 0; i < 150; i++) {
      const sample = 0.5 + 0.01 * rand();
      const value = f.filter(sample, i / 30);
      if (i >= 30) {
        raw.push(sample);
        out.push(value);
      }
    }
    expect(std(out)).toBeLessThan(std(raw) / 2.5);
  });

  it('follows a fast movement with little lag, unlike a fixed low-pass as smooth when still', () => {
    const f = new OneEuroFilter(POSE_ONE_EURO);
    const still = new OneEuroFilter({ ...POSE_ONE_EURO, beta: 0 });
    // A wrist sweeping across the frame in half a second (2 frame-widths/s), after a rest.
    let lagged = 0;
    let lagStill = 0;
    for (let i = 0; i <= 45; i++) {
      const t = i / 30;
      const x = t < 1 ? 0.2 : Math.min(0.2 + 2 * (t - 1), 1.2);
      lagged = x - f.filter(x, t);
      lagStill = x - still.filter(x, t);
    }
    // After 15 frames of motion: within 3 % of the frame, and a third of the fixed filter's lag.
    expect(Math.abs(lagged)).toBeLessThan(0.03);
    expect(Math.abs(lagged)).toBeLessThan(Math.abs(lagStill) / 3);
  });

  it('is time-based: the same movement at 10 and 60 fps ends in the same place', () => {
    const run = (fps: number) => {
      const f = new OneEuroFilter(POSE_ONE_EURO);
      let y = 0;
      for (let i = 0; i <= fps; i++) y = f.filter(i / fps < 0.5 ? 0 : 0.3, i / fps);
      return y;
    };
    expect(run(10)).toBeCloseTo(run(60), 1);
    expect(run(10)).toBeGreaterThan(0.25);
  });

  it('restarts after a gap instead of gliding from a stale position', () => {
    const f = new OneEuroFilter(POSE_ONE_EURO);
    for (let i = 0; i < 30; i++) f.filter(0.2, i / 30);
    expect(f.filter(0.8, 1 + POSE_ONE_EURO.maxGapS + 0.1)).toBe(0.8);
    // A short drop (3 frames missing) is filtered, not jumped.
    const g = new OneEuroFilter(POSE_ONE_EURO);
    for (let i = 0; i < 30; i++) g.filter(0.2, i / 30);
    const after = g.filter(0.8, 33 / 30);
    expect(after).toBeGreaterThan(0.2);
    expect(after).toBeLessThan(0.8);
  });

  it('survives a repeated or backward timestamp without NaN', () => {
    const f = new OneEuroFilter(POSE_ONE_EURO);
    f.filter(0.3, 1);
    expect(f.filter(0.9, 1)).toBe(0.3);
    expect(f.filter(0.7, 0.5)).toBe(0.7);
    expect(Number.isFinite(f.filter(0.6, 0.6))).toBe(true);
  });
});

describe('PoseSmoother', () => {
  const pose = (x: number, t: number) => ({ score: 0.8, t, keypoints: [{ x, y: 1 - x, score: 0.9 }] });

  it('smooths every coordinate, passes scores through, and forgets the old person on reset', () => {
    const s = new PoseSmoother(1);
    s.smooth(pose(0.2, 0));
    const next = s.smooth(pose(0.3, 33));
    expect(next.keypoints[0]!.x).toBeGreaterThan(0.2);
    expect(next.keypoints[0]!.x).toBeLessThan(0.3);
    expect(next.keypoints[0]!.y).toBeCloseTo(1 - next.keypoints[0]!.x, 9);
    expect(next.keypoints[0]!.score).toBe(0.9);
    expect(next.t).toBe(33);
    s.reset();
    expect(s.smooth(pose(0.9, 66)).keypoints[0]!.x).toBe(0.9);
  });
});
