import type { Point } from '../../homework/layout/geometry.js';
import type { Bubble } from '../../homework/layout/layout.js';
import type { BubbleMeasure } from '../../homework/read/bubbles.js';
import { distanceToPolyline, distanceToSegment, type InkStroke } from './ink.js';

/** Half a ballpoint line (≈ 0.5 mm) plus a little: a grid cell this near a stroke is inked. */
const INK_HALF_WIDTH_MM = 0.3;
const CELL_MM = 0.2;
/** The share of the circle measured, as the scanner does: the printed ring must not count. */
const CORE = 0.65;
/** A stroke that passes this near the centre and leaves the circle this far on both sides crosses it out. */
const CROSS_NEAR = 0.5;
const CROSS_FAR = 1.3;

/** Covered share of the bubble's core: the pen's own counterpart of the scanner's darkness. */
function coverage(b: Bubble, strokes: InkStroke[]): number {
  const radius = b.r * CORE;
  let cells = 0;
  let inked = 0;
  for (let y = b.cy - radius; y <= b.cy + radius; y += CELL_MM) {
    for (let x = b.cx - radius; x <= b.cx + radius; x += CELL_MM) {
      if ((x - b.cx) ** 2 + (y - b.cy) ** 2 > radius * radius) continue;
      cells++;
      if (strokes.some((s) => nearStroke({ x, y }, s.points))) inked++;
    }
  }
  return cells ? inked / cells : 0;
}

function nearStroke(p: Point, points: Point[]): boolean {
  if (points.length === 1) return Math.hypot(p.x - points[0]!.x, p.y - points[0]!.y) <= INK_HALF_WIDTH_MM;
  for (let i = 1; i < points.length; i++) if (distanceToSegment(p, points[i - 1]!, points[i]!) <= INK_HALF_WIDTH_MM) return true;
  return false;
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
  const near = strokes.filter((s) => distanceToPolyline({ x: b.cx, y: b.cy }, s.points) <= b.r + INK_HALF_WIDTH_MM);
  if (near.some((s) => crossesOut(b, s))) return { value: b.value, fill: 1, ring: 1 };
  return { value: b.value, fill: coverage(b, near), ring: 0 };
}
