import type { Rect } from '../../homework/layout/geometry.js';
import type { InkStroke } from './ink.js';

/** A ballpoint's line on paper. */
const PEN_WIDTH_MM = 0.6;

/** One 8-bit channel, row by row: 0 is black ink, 255 white paper. */
export interface GreyImage {
  grey: Uint8Array;
  width: number;
  height: number;
}

/**
 * The strokes over `region` drawn black on white at `pxPerMm`, with round caps and joins and
 * anti-aliased edges. Pixel (i, j) shows the page at its centre, region + (i + 0.5, j + 0.5) / pxPerMm,
 * as an SVG rasteriser maps `scale(pxPerMm) translate(-region.x, -region.y)`: the registration
 * that maps millimetres to pixels stays the plain scale and shift.
 */
export function rasteriseInk(strokes: InkStroke[], region: Rect, pxPerMm: number): GreyImage {
  const width = Math.max(1, Math.round(region.w * pxPerMm));
  const height = Math.max(1, Math.round(region.h * pxPerMm));
  const image = { grey: new Uint8Array(width * height).fill(255), width, height };
  const radius = (PEN_WIDTH_MM / 2) * pxPerMm;
  // In "centre pixels": pixel (i, j)'s centre sits at (i, j), so the loops need no half-pixel shift.
  const toX = (mm: number) => (mm - region.x) * pxPerMm - 0.5;
  const toY = (mm: number) => (mm - region.y) * pxPerMm - 0.5;
  for (const { points } of strokes) {
    const first = points[0];
    // A one-dot stroke is a zero-length segment: its round caps leave a dot.
    if (first && points.length === 1) drawSegment(image, toX(first.x), toY(first.y), toX(first.x), toY(first.y), radius);
    for (let k = 1; k < points.length; k++) {
      const a = points[k - 1]!;
      const b = points[k]!;
      drawSegment(image, toX(a.x), toY(a.y), toX(b.x), toY(b.y), radius);
    }
  }
  return image;
}

/**
 * One round-capped segment, in centre pixels. A pixel's ink is its coverage estimated from the
 * distance of its centre to the segment (exact for an edge along a pixel row); where segments
 * overlap the darkest wins, so a polyline's joints are round and not darker than its line.
 * The distance is segmentDistanceSquared's, with the segment's own terms worked out once: this
 * loop visits ~120,000 pixels for one answer area.
 */
function drawSegment({ grey, width, height }: GreyImage, ax: number, ay: number, bx: number, by: number, radius: number): void {
  const reach = radius + 0.5;
  const reach2 = reach * reach;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const perLen2 = len2 === 0 ? 0 : 1 / len2;
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - radius - 1));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(ax, bx) + radius + 1));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - radius - 1));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(ay, by) + radius + 1));
  for (let y = y0; y <= y1; y++) {
    const ry = y - ay;
    for (let x = x0; x <= x1; x++) {
      const rx = x - ax;
      const along = (rx * dx + ry * dy) * perLen2;
      const t = along < 0 ? 0 : along > 1 ? 1 : along;
      const ex = rx - t * dx;
      const ey = ry - t * dy;
      const d2 = ex * ex + ey * ey;
      if (d2 >= reach2) continue;
      const paper = Math.round(255 * Math.max(0, Math.sqrt(d2) - radius + 0.5));
      const o = y * width + x;
      if (paper < grey[o]!) grey[o] = paper;
    }
  }
}
