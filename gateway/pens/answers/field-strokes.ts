import type { Field, PageLayout } from '../../homework/layout/layout.js';
import { inRect, type InkStroke } from './ink.js';

/**
 * How far outside its field a stroke may stray and still be its: a line crossing out a bubble
 * reaches about twice the radius from its centre, 2.3 mm past the field's edge.
 */
const REACH_MM = 3;

/**
 * Each stroke goes to the field that holds most of its points (fields are 4 mm apart, so the
 * margins may overlap; the majority decides). Strokes in no field are the page's stray writing.
 */
export function strokesByField(layout: PageLayout, ink: InkStroke[]): { byField: Map<Field, InkStroke[]>; stray: InkStroke[] } {
  const byField = new Map<Field, InkStroke[]>(layout.fields.map((f) => [f, []]));
  const stray: InkStroke[] = [];
  for (const stroke of ink) {
    let best: Field | null = null;
    let bestCount = 0;
    for (const field of layout.fields) {
      let count = 0;
      for (const p of stroke.points) if (inRect(p, field.rect, REACH_MM)) count++;
      if (count > bestCount) [best, bestCount] = [field, count];
    }
    if (best) byField.get(best)!.push(stroke);
    else stray.push(stroke);
  }
  return { byField, stray };
}

/** When the question was written: its first stroke's start and last stroke's end, null when untouched. */
export function writtenBetween(strokes: InkStroke[]): { firstAt: number; lastAt: number } | null {
  if (strokes.length === 0) return null;
  return { firstAt: Math.min(...strokes.map((s) => s.startedAt)), lastAt: Math.max(...strokes.map((s) => s.endedAt)) };
}
