import type { Bubble } from '../../homework/layout/layout.js';
import type { BubbleMeasure } from '../../homework/read/bubbles.js';
import { distanceToSegment, passesWithin, segmentDistanceSquared, type InkStroke } from './ink.js';

/** Half a ballpoint line (≈ 0.5 mm) plus a little: a grid cell this near a stroke is inked. */
const INK_HALF_WIDTH_MM = 0.3;
const CELL_MM = 0.2;
/** The share of the circle measured, as the scanner does: the printed ring must not count. */
const CORE = 0.65;
/** A stroke that passes this near the centre and leaves the circle this far on both sides crosses it out. */
const CROSS_NEAR = 0.5;
const CROSS_FAR = 1.3;

/** The grid cell (row or column) a coordinate falls in, clamped to the grid. */
function cellOf(v: number, origin: number, side: number): number {
  return Math.min(side - 1, Math.max(0, Math.round((v - origin) / CELL_MM)));
}

/**
 * Covered share of the bubble's core: the pen's own counterpart of the scanner's darkness. The
 * core is a grid of 0.2 mm cells; each stroke segment inks the cells within half a line's width
 * of it, visiting only the cells near the segment. A pen's dots are a fraction of a millimetre
 * apart, so neighbouring segments reach the same cells: a cell already inked is not measured again.
 */
function coverage(b: Bubble, strokes: InkStroke[]): number {
  const radius = b.r * CORE;
  const side = Math.floor((2 * radius) / CELL_MM) + 1;
  const x0 = b.cx - radius;
  const y0 = b.cy - radius;
  const inked = new Uint8Array(side * side);
  const reach2 = INK_HALF_WIDTH_MM * INK_HALF_WIDTH_MM;
  for (const s of strokes) {
    for (let i = 0; i < s.points.length; i++) {
      const a = s.points[i === 0 ? 0 : i - 1]!;
      const c = s.points[i]!;
      const left = Math.min(a.x, c.x) - INK_HALF_WIDTH_MM;
      const right = Math.max(a.x, c.x) + INK_HALF_WIDTH_MM;
      const top = Math.min(a.y, c.y) - INK_HALF_WIDTH_MM;
      const bottom = Math.max(a.y, c.y) + INK_HALF_WIDTH_MM;
      if (right < x0 || left > x0 + 2 * radius || bottom < y0 || top > y0 + 2 * radius) continue;
      const gxFrom = cellOf(left, x0, side);
      const gxTo = cellOf(right, x0, side);
      const gyTo = cellOf(bottom, y0, side);
      for (let gy = cellOf(top, y0, side); gy <= gyTo; gy++) {
        for (let gx = gxFrom; gx <= gxTo; gx++) {
          const cell = gy * side + gx;
          if (inked[cell] === 0 && segmentDistanceSquared(x0 + gx * CELL_MM, y0 + gy * CELL_MM, a.x, a.y, c.x, c.y) <= reach2) inked[cell] = 1;
        }
      }
    }
  }
  let cells = 0;
  let covered = 0;
  for (let gy = 0; gy < side; gy++) {
    for (let gx = 0; gx < side; gx++) {
      const dx = x0 + gx * CELL_MM - b.cx;
      const dy = y0 + gy * CELL_MM - b.cy;
      if (dx * dx + dy * dy > radius * radius) continue;
      cells++;
      covered += inked[gy * side + gx]!;
    }
  }
  return cells ? covered / cells : 0;
}

/** Goes through the middle and comes out well beyond the circle on opposite sides: a line that crosses the bubble out. */
export function crossesOut(b: Bubble, s: InkStroke): boolean {
  const rel = s.points.map((p) => ({ x: p.x - b.cx, y: p.y - b.cy }));
  if (!rel.some((p, i) => i > 0 && distanceToSegment({ x: 0, y: 0 }, rel[i - 1]!, p) <= b.r * CROSS_NEAR)) return false;
  const far = rel.filter((p) => Math.hypot(p.x, p.y) >= b.r * CROSS_FAR);
  return far.some((p) => far.some((q) => p.x * q.x + p.y * q.y < 0));
}

/**
 * One bubble measured in the scanner's terms, so the scanner's own decision rules apply: `fill`
 * from the strokes that fill it; a crossed bubble counts as a full mark with its ring inked,
 * which the rules read as cancelled, whether it was filled first or only struck through.
 */
export function measureBubbleInk(b: Bubble, strokes: InkStroke[]): BubbleMeasure {
  const centre = { x: b.cx, y: b.cy };
  const near = strokes.filter((s) => passesWithin(centre, s.points, b.r + INK_HALF_WIDTH_MM));
  if (near.some((s) => crossesOut(b, s))) return { value: b.value, fill: 1, ring: 1 };
  return { value: b.value, fill: coverage(b, near), ring: 0 };
}
