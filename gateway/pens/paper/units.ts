import type { Point } from '../../homework/layout/geometry.js';

/** One Ncode unit is 56/600 inch: the dot pattern's grid, ≈ 2.371 mm. */
export const MM_PER_NCODE = (56 / 600) * 25.4;

/** Where the pattern's origin lies on the printed page, in mm from the page's top-left (0,0 when printed edge to edge). */
export type PatternOrigin = Point;

export const NO_OFFSET: PatternOrigin = { x: 0, y: 0 };

export function ncodeToMm(p: Point, origin: PatternOrigin = NO_OFFSET): Point {
  return { x: origin.x + p.x * MM_PER_NCODE, y: origin.y + p.y * MM_PER_NCODE };
}

export function mmToNcode(p: Point, origin: PatternOrigin = NO_OFFSET): Point {
  return { x: (p.x - origin.x) / MM_PER_NCODE, y: (p.y - origin.y) / MM_PER_NCODE };
}
