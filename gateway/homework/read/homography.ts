import type { Point } from '../layout/geometry.js';

/** 3×3 projective transform, row-major, h[8] = 1. */
export type Homography = number[];

/** Solves n linear equations given as rows [coefficients…, constant] (Gauss–Jordan, partial pivoting). */
function solve(a: number[][]): number[] {
  const n = a.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const p = a[col]![col]!;
    if (Math.abs(p) < 1e-12) throw new Error('degenerate point set: cannot register the page');
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r]![col]! / p;
      for (let c = col; c <= n; c++) a[r]![c]! -= f * a[col]![c]!;
    }
  }
  return a.map((row, i) => row[n]! / row[i]!);
}

/** The transform that maps each `from` point to its `to` point (exactly 4 pairs, no three collinear). */
export function homographyFrom(from: Point[], to: Point[]): Homography {
  // Eight linear equations in h0..h7 (DLT with h8 = 1).
  const a: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const { x, y } = from[i]!;
    const { x: u, y: v } = to[i]!;
    a.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    a.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  return [...solve(a), 1];
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
  const normal = (b: number[]) => solve([0, 1, 2].map((r) => [m[r * 3]!, m[r * 3 + 1]!, m[r * 3 + 2]!, b[r]!]));
  return [...normal(bu), ...normal(bv), 0, 0, 1];
}
