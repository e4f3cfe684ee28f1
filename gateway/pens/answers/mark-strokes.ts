import type { Rect } from '../../homework/layout/geometry.js';
import type { MarkDecision } from '../../homework/read/teacher-marks.js';
import { crossing, pathLength, type InkStroke } from './ink.js';

/** Less ink than this share of the box's side is a slip of the pen, not a mark. */
const MIN_INK = 0.25;
/** Two lines meeting at a flatter angle are one line drawn twice, not a cross. */
const MIN_CROSS_DEGREES = 30;

/** The sharpest angle (degrees) at which two non-neighbouring segments of the ink cross, 0 when none do. */
function crossingAngle(strokes: InkStroke[]): number {
  const segments = strokes.flatMap((s, k) => s.points.slice(1).map((b, i) => ({ a: s.points[i]!, b, k, i })));
  let best = 0;
  for (let m = 0; m < segments.length; m++) {
    for (let n = m + 1; n < segments.length; n++) {
      const p = segments[m]!;
      const q = segments[n]!;
      if (p.k === q.k && q.i - p.i < 2) continue;
      if (!crossing(p.a, p.b, q.a, q.b)) continue;
      const angle = Math.abs(Math.atan2(p.b.y - p.a.y, p.b.x - p.a.x) - Math.atan2(q.b.y - q.a.y, q.b.x - q.a.x)) % Math.PI;
      best = Math.max(best, (Math.min(angle, Math.PI - angle) * 180) / Math.PI);
    }
  }
  return best;
}

/**
 * A teacher's ✓ or ✗ from the strokes themselves: two lines crossing make a cross; a path that
 * goes down to a low point and then rises well above it to the right, without crossing itself,
 * is a tick. Anything else is left to the teacher.
 */
export function readMarkStrokes(box: Rect, strokes: InkStroke[]): MarkDecision {
  const ink = strokes.reduce((sum, s) => sum + pathLength(s.points), 0);
  if (ink === 0) return { mark: null, confidence: 1 };
  if (ink < MIN_INK * box.w) return { mark: null, confidence: 0.5 };
  const angle = crossingAngle(strokes);
  if (angle >= MIN_CROSS_DEGREES) return { mark: 'cross', confidence: Math.min(1, angle / (2 * MIN_CROSS_DEGREES)) };
  const path = [...strokes].sort((a, b) => a.startedAt - b.startedAt).flatMap((s) => s.points);
  const low = path.reduce((best, p, i) => (p.y > path[best]!.y ? i : best), 0);
  const start = path[0]!;
  const bottom = path[low]!;
  const end = path[path.length - 1]!;
  const rise = bottom.y - end.y;
  const isTick = low > 0 && low < path.length - 1 && bottom.y > start.y && end.x > bottom.x && rise > bottom.y - start.y;
  if (!isTick || angle > 0) return { mark: null, confidence: 0 };
  return { mark: 'tick', confidence: Math.min(1, rise / (0.4 * box.h)) };
}
