import type { Point, Rect } from '../../homework/layout/geometry.js';
import type { Stroke } from '../strokes/stroke.js';
import { ncodeToMm, type PatternOrigin } from '../paper/units.js';

/** A stroke on the printed page, in millimetres from the page's top-left. */
export interface InkStroke {
  points: Point[];
  startedAt: number;
  endedAt: number;
}

/** How near an eraser must pass to a stroke's point to lift it (the eraser tip is about 3 mm wide). */
const ERASER_REACH_MM = 1.5;
/** A stroke is gone when the eraser covered this share of it; less is a nick, and the mark stands. */
const ERASED_SHARE = 0.5;

/** The page's writing in mm, with what a later eraser stroke rubbed out removed. */
export function inkOnPage(strokes: Stroke[], origin: PatternOrigin): InkStroke[] {
  const toInk = (s: Stroke): InkStroke => ({ points: s.dots.map((d) => ncodeToMm(d, origin)), startedAt: s.startedAt, endedAt: s.endedAt });
  const erasers = strokes.filter((s) => s.eraser).map(toInk);
  return strokes
    .filter((s) => !s.eraser)
    .map(toInk)
    .filter((ink) => {
      const later = erasers.filter((e) => e.startedAt >= ink.endedAt);
      if (later.length === 0) return true;
      const rubbed = ink.points.filter((p) => later.some((e) => distanceToPolyline(p, e.points) <= ERASER_REACH_MM)).length;
      return rubbed < ink.points.length * ERASED_SHARE;
    });
}

export function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

export function distanceToPolyline(p: Point, line: Point[]): number {
  if (line.length === 1) return Math.hypot(p.x - line[0]!.x, p.y - line[0]!.y);
  let best = Infinity;
  for (let i = 1; i < line.length; i++) best = Math.min(best, distanceToSegment(p, line[i - 1]!, line[i]!));
  return best;
}

export function pathLength(points: Point[]): number {
  let sum = 0;
  for (let i = 1; i < points.length; i++) sum += Math.hypot(points[i]!.x - points[i - 1]!.x, points[i]!.y - points[i - 1]!.y);
  return sum;
}

export function inRect(p: Point, r: Rect, margin = 0): boolean {
  return p.x >= r.x - margin && p.x <= r.x + r.w + margin && p.y >= r.y - margin && p.y <= r.y + r.h + margin;
}

/** Where segments ab and cd cross (not merely touch at an end), or null. */
export function crossing(a: Point, b: Point, c: Point, d: Point): Point | null {
  const den = (b.x - a.x) * (d.y - c.y) - (b.y - a.y) * (d.x - c.x);
  if (den === 0) return null;
  const t = ((c.x - a.x) * (d.y - c.y) - (c.y - a.y) * (d.x - c.x)) / den;
  const u = ((c.x - a.x) * (b.y - a.y) - (c.y - a.y) * (b.x - a.x)) / den;
  return t > 0 && t < 1 && u > 0 && u < 1 ? { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) } : null;
}
