import type { Rect } from '../layout/geometry.js';
import type { Bubble } from '../layout/layout.js';
import { between } from '../../util/random.js';

/** How a student or teacher marked something; each draws as SVG in page millimetres. */
export type BubbleStyle = 'pencil' | 'pen' | 'partial' | 'faint' | 'cancelled' | 'erased';

const INK = '#1d1d1f';
const RED = '#d0202a';

/** A filled bubble: an ellipse a little off centre, of varied darkness and coverage. */
export function bubbleMark(b: Bubble, style: BubbleStyle, rand: () => number): string {
  const jx = between(rand, -0.35, 0.35);
  const jy = between(rand, -0.35, 0.35);
  const fill = (coverage: number, opacity: number) => {
    const rx = b.r * coverage * between(rand, 0.92, 1.08);
    const ry = b.r * coverage * between(rand, 0.92, 1.08);
    return `<ellipse cx="${(b.cx + jx).toFixed(2)}" cy="${(b.cy + jy).toFixed(2)}" rx="${rx.toFixed(2)}" ry="${ry.toFixed(2)}" fill="${INK}" fill-opacity="${opacity.toFixed(2)}"/>`;
  };
  switch (style) {
    case 'pencil':
      return fill(between(rand, 0.8, 1.05), between(rand, 0.6, 0.9));
    case 'pen':
      return fill(between(rand, 0.85, 1.05), between(rand, 0.9, 1));
    case 'partial':
      // A hurried fill that covers only part of the circle, still clearly meant.
      return fill(between(rand, 0.7, 0.8), between(rand, 0.75, 0.95));
    case 'faint':
      return fill(between(rand, 0.75, 0.95), between(rand, 0.22, 0.3));
    case 'erased':
      return fill(between(rand, 0.8, 1.0), between(rand, 0.05, 0.1));
    case 'cancelled': {
      const reach = b.r * 1.9;
      const cross = `<path d="M${b.cx - reach} ${b.cy - reach} L${b.cx + reach} ${b.cy + reach} M${b.cx + reach} ${b.cy - reach} L${b.cx - reach} ${b.cy + reach}" stroke="${INK}" stroke-width="0.7" stroke-linecap="round"/>`;
      return fill(between(rand, 0.85, 1.05), between(rand, 0.7, 0.95)) + cross;
    }
  }
}

/** The teacher's red ✓ or ✗ in a mark box, hand-drawn: varied size, slant and stroke. */
export function teacherMark(box: Rect, mark: 'tick' | 'cross', rand: () => number): string {
  const s = box.w;
  const x = box.x + between(rand, -0.05, 0.05) * s;
  const y = box.y + between(rand, -0.05, 0.05) * s;
  const w = between(rand, 0.6, 0.9);
  const pt = (fx: number, fy: number) => `${(x + fx * s).toFixed(2)} ${(y + fy * s).toFixed(2)}`;
  const d =
    mark === 'tick'
      ? `M${pt(0.15, between(rand, 0.5, 0.6))} L${pt(between(rand, 0.35, 0.45), between(rand, 0.8, 0.9))} L${pt(between(rand, 0.8, 0.9), between(rand, 0.1, 0.2))}`
      : `M${pt(0.2, 0.2)} L${pt(between(rand, 0.75, 0.85), between(rand, 0.75, 0.85))} M${pt(between(rand, 0.75, 0.85), 0.2)} L${pt(0.2, between(rand, 0.75, 0.85))}`;
  return `<path d="${d}" fill="none" stroke="${RED}" stroke-width="${w.toFixed(2)}" stroke-linecap="round" stroke-linejoin="round"/>`;
}

/** A stray pencil stroke somewhere in the margin: readers must not count it. */
export function strayMark(area: Rect, rand: () => number): string {
  const x = between(rand, area.x, area.x + area.w);
  const y = between(rand, area.y, area.y + area.h);
  return `<path d="M${x.toFixed(1)} ${y.toFixed(1)} l${between(rand, -6, 6).toFixed(1)} ${between(rand, -3, 3).toFixed(1)}" stroke="${INK}" stroke-opacity="0.6" stroke-width="0.4"/>`;
}
