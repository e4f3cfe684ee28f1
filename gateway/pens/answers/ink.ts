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

/** One stroke's dots in mm on the page. */
export function toInk({ dots, startedAt, endedAt }: Stroke, origin: PatternOrigin): InkStroke {
  const points: Point[] = new Array(dots.length);
  for (let i = 0; i < dots.length; i++) points[i] = ncodeToMm({ x: dots.x(i), y: dots.y(i) }, origin);
  return { points, startedAt, endedAt };
}

/** The page's writing in mm, with what a later eraser stroke rubbed out removed. */
export function inkOnPage(strokes: Stroke[], origin: PatternOrigin): InkStroke[] {
  const erasers = strokes.filter((s) => s.eraser).map((s) => toInk(s, origin));
  return strokes
    .filter((s) => !s.eraser)
    .map((s) => toInk(s, origin))
    .filter((ink) => {
      const later = erasers.filter((e) => e.startedAt >= ink.endedAt);
      if (later.length === 0) return true;
      const rubbed = ink.points.filter((p) => later.some((e) => distanceToPolyline(p, e.points) <= ERASER_REACH_MM)).length;
      return rubbed < ink.points.length * ERASED_SHARE;
    });
}

/** Squared distance from (px, py) to the segment a–b, in plain numbers: called per grid cell, so nothing is allocated. */
export function segmentDistanceSquared(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  const ex = px - (ax + t * dx);
  const ey = py - (ay + t * dy);
  return ex * ex + ey * ey;
}

export function distanceToSegment(p: Point, a: Point, b: Point): number {
  return Math.sqrt(segmentDistanceSquared(p.x, p.y, a.x, a.y, b.x, b.y));
}

export function distanceToPolyline(p: Point, line: Point[]): number {
  if (line.length === 1) return Math.hypot(p.x - line[0]!.x, p.y - line[0]!.y);
  let best = Infinity;
  for (let i = 1; i < line.length; i++) best = Math.min(best, distanceToSegment(p, line[i - 1]!, line[i]!));
  return best;
}

/** The line comes within `reach` of p: distanceToPolyline(p, line) <= reach, stopping at the first segment that does. */
export function passesWithin(p: Point, line: Point[], reach: number): boolean {
  const reach2 = reach * reach;
  if (line.length === 1) return (p.x - line[0]!.x) ** 2 + (p.y - line[0]!.y) ** 2 <= reach2;
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1]!;
    const b = line[i]!;
    if (segmentDistanceSquared(p.x, p.y, a.x, a.y, b.x, b.y) <= reach2) return true;
  }
  return false;
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
