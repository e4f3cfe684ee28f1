import type { Bubble } from '../layout/layout.js';
import { project } from './homography.js';
import type { Registration } from './locate.js';
import { forDisc, type Raster } from './raster.js';
import type { FieldState } from './types.js';

/** Ink levels as a fraction of the way from paper white to printed black. */
export const THRESHOLDS = { faint: 0.17, mark: 0.42, cancelRing: 0.05 } as const;

export interface Levels {
  white: number;
  black: number;
}

export interface BubbleMeasure {
  value: string;
  /** Ink inside the central 65 % of the circle (red channel: the teacher's red pen does not count). */
  fill: number;
  /** Share of dark pixels just outside the circle: strokes that cross it out. */
  ring: number;
}

export function measureBubble(r: Raster, reg: Registration, b: Bubble, levels: Levels): BubbleMeasure {
  const c = project(reg.toPixels, { x: b.cx, y: b.cy });
  const radius = b.r * reg.pixelsPerMm;
  let sum = 0;
  let n = 0;
  forDisc(r, c, radius * 0.65, (red) => {
    sum += red;
    n++;
  });
  const range = Math.max(1, levels.white - levels.black);
  const darkBelow = levels.white - range / 2;
  let dark = 0;
  let ringN = 0;
  const inner2 = (radius * 1.35) ** 2;
  forDisc(r, c, radius * 1.8, (red, offset) => {
    const px = (offset / 3) % r.width;
    const py = Math.floor(offset / 3 / r.width);
    if ((px - c.x) ** 2 + (py - c.y) ** 2 < inner2) return;
    ringN++;
    if (red < darkBelow) dark++;
  });
  return { value: b.value, fill: n ? Math.min(1, Math.max(0, (levels.white - sum / n) / range)) : 0, ring: ringN ? dark / ringN : 0 };
}

export interface GroupDecision {
  state: FieldState;
  chosen: string[];
  confidence: number;
}

/** Distance of a measurement from the nearest decision threshold, mapped to 0..1. */
function margin(m: BubbleMeasure): number {
  const d = Math.min(Math.abs(m.fill - THRESHOLDS.faint), Math.abs(m.fill - THRESHOLDS.mark));
  return Math.min(1, d / 0.12);
}

/**
 * One group of alternatives (a question's options, or one digit column): blank, one mark,
 * several, faint or crossed out. Nothing in between is rounded to an answer.
 */
export function decideGroup(measures: BubbleMeasure[], allowMultiple: boolean): GroupDecision {
  const confidence = Math.min(...measures.map(margin));
  const cancelled = measures.filter((m) => m.fill >= THRESHOLDS.mark && m.ring >= THRESHOLDS.cancelRing);
  const marked = measures.filter((m) => m.fill >= THRESHOLDS.mark && m.ring < THRESHOLDS.cancelRing);
  const faint = measures.filter((m) => m.fill >= THRESHOLDS.faint && m.fill < THRESHOLDS.mark);
  const chosen = marked.map((m) => m.value).sort();
  if (faint.length > 0) return { state: 'faint', chosen: faint.map((m) => m.value), confidence };
  if (marked.length === 0) return { state: cancelled.length > 0 ? 'cancelled' : 'blank', chosen: [], confidence };
  if (marked.length > 1 && !allowMultiple) return { state: 'multiple', chosen, confidence };
  return { state: 'marked', chosen, confidence };
}
