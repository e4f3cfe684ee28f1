import { describe, expect, it } from 'vitest';
import { affineFrom, homographyFrom, project } from './homography.js';

const square = [
  { x: 0, y: 0 },
  { x: 10, y: 0 },
  { x: 10, y: 10 },
  { x: 0, y: 10 },
];

describe('registration transforms', () => {
  it('a homography maps the four points exactly, perspective included', () => {
    const to = [
      { x: 100, y: 50 },
      { x: 210, y: 60 },
      { x: 190, y: 170 },
      { x: 95, y: 150 },
    ];
    const h = homographyFrom(square, to);
    square.forEach((p, i) => {
      expect(project(h, p).x).toBeCloseTo(to[i]!.x, 6);
      expect(project(h, p).y).toBeCloseTo(to[i]!.y, 6);
    });
  });

  it('an affine fit recovers a turned, scaled, shifted page and extrapolates it far away', () => {
    const angle = (3 * Math.PI) / 180;
    const move = (p: { x: number; y: number }) => ({ x: 7.9 * (p.x * Math.cos(angle) - p.y * Math.sin(angle)) + 40, y: 7.9 * (p.x * Math.sin(angle) + p.y * Math.cos(angle)) + 12 });
    const a = affineFrom(square, square.map(move));
    const far = { x: -150, y: 260 };
    expect(project(a, far).x).toBeCloseTo(move(far).x, 6);
    expect(project(a, far).y).toBeCloseTo(move(far).y, 6);
  });

  it('refuses points that cannot define a transform', () => {
    expect(() => homographyFrom([square[0]!, square[0]!, square[0]!, square[0]!], square)).toThrow(/degenerate/);
  });
});
