import type { Point } from '../layout/geometry.js';

/** 3×3 projective transform, row-major, h[8] = 1. */
export type Homography = number[];

/** The transform that maps each `from` point to its `to` point (exactly 4 pairs, no three collinear). */
export function homographyFrom(from: Point[], to: Point[]): Homography {
  // Eight linear equations in h0..h7 (DLT with h8 = 1), solved by Gaussian elimination.
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const { x, y } = from[i]!;
    const { x: u, y: v } = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const p = a[col]![col]!;
    if (Math.abs(p) < 1e-12) throw new Error('degenerate point set: cannot register the page');
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / p;
      for (let c = col; c < 9; c++) a[r]![c]! -= f * a[col]![c]!;
    }
  }
  return [...Array.from({ length: 8 }, (_, i) => a[i]![8]! / a[i]![i]!), 1];
}

export function project(h: Homography, p: Point): Point {
  const w = h[6]! * p.x + h[7]! * p.y + h[8]!;
  return { x: (h[0]! * p.x + h[1]! * p.y + h[2]!) / w, y: (h[3]! * p.x + h[4]! * p.y + h[5]!) / w };
}

/**
 * The least-squares affine transform (as a homography with no perspective) from point pairs.
 * Used to extrapolate from the small QR code across the page: a full homography fitted to four
 * corners a pixel off would bend the far corners of the page by centimetres.
 */
export function affineFrom(from: Point[], to: Point[]): Homography {
  // Normal equations MᵀM p = Mᵀu for the rows [x y 1].
  const m = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  const bu = [0, 0, 0];
  const bv = [0, 0, 0];
  from.forEach((p, i) => {
    const row = [p.x, p.y, 1];
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) m[r * 3 + c]! += row[r]! * row[c]!;
      bu[r]! += row[r]! * to[i]!.x;
      bv[r]! += row[r]! * to[i]!.y;
    }
  });
  const solve = (b: number[]) => {
    const a = [0, 1, 2].map((r) => [m[r * 3]!, m[r * 3 + 1]!, m[r * 3 + 2]!, b[r]!]);
    for (let col = 0; col < 3; col++) {
      let pivot = col;
      for (let r = col + 1; r < 3; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
      [a[col], a[pivot]] = [a[pivot]!, a[col]!];
      const p = a[col]![col]!;
      if (Math.abs(p) < 1e-12) throw new Error('degenerate point set: cannot register the page');
      for (let r = 0; r < 3; r++) {
        if (r === col) continue;
        const f = a[r]![col]! / p;
        for (let c = col; c < 4; c++) a[r]![c]! -= f * a[col]![c]!;
      }
    }
    return [0, 1, 2].map((i) => a[i]![3]! / a[i]![i]!);
  };
  return [...solve(bu), ...solve(bv), 0, 0, 1];
}
