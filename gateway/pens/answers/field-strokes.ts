import type { Field, PageLayout } from '../../homework/layout/layout.js';
import { inRect, type InkStroke } from './ink.js';

/**
 * How far outside its field a stroke may stray and still be its: a line crossing out a bubble
 * reaches about twice the radius from its centre, 2.3 mm past the field's edge.
 */
const REACH_MM = 3;

/**
 * The field that holds most of the stroke's points, the first in layout order on a tie (fields are
 * 4 mm apart, so the margins may overlap; the majority decides); null when it is in none. Runs for
 * every stroke as it ends: fields beyond the stroke's bounds are skipped without counting.
 */
export function fieldOf(layout: PageLayout, stroke: InkStroke): Field | null {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of stroke.points) {
    if (p.x < minX) minX = p.x;
    if (p.x > maxX) maxX = p.x;
    if (p.y < minY) minY = p.y;
    if (p.y > maxY) maxY = p.y;
  }
  let best: Field | null = null;
  let bestCount = 0;
  for (const field of layout.fields) {
    const r = field.rect;
    if (maxX < r.x - REACH_MM || minX > r.x + r.w + REACH_MM || maxY < r.y - REACH_MM || minY > r.y + r.h + REACH_MM) continue;
    let count = 0;
    for (const p of stroke.points) if (inRect(p, r, REACH_MM)) count++;
    if (count > bestCount) [best, bestCount] = [field, count];
  }
  return best;
}

/** Each stroke goes to its field (fieldOf); strokes in no field are the page's stray writing. */
export function strokesByField(layout: PageLayout, ink: InkStroke[]): { byField: Map<Field, InkStroke[]>; stray: InkStroke[] } {
  const byField = new Map<Field, InkStroke[]>(layout.fields.map((f) => [f, []]));
  const stray: InkStroke[] = [];
  for (const stroke of ink) {
    const field = fieldOf(layout, stroke);
    if (field) byField.get(field)!.push(stroke);
    else stray.push(stroke);
  }
  return { byField, stray };
}

/** When the question was written: its first stroke's start and last stroke's end, null when untouched. */
export function writtenBetween(strokes: InkStroke[]): { firstAt: number; lastAt: number } | null {
  if (strokes.length === 0) return null;
  return { firstAt: Math.min(...strokes.map((s) => s.startedAt)), lastAt: Math.max(...strokes.map((s) => s.endedAt)) };
}
