import type { Rect } from '../layout/geometry.js';
import { project } from './homography.js';
import type { Registration } from './locate.js';
import type { Raster } from './raster.js';

export interface MarkDecision {
  mark: 'tick' | 'cross' | null;
  confidence: number;
}

/** Red ink: bright in red, dark in green and blue (pencil and black pen are dark in all three). */
function isRed(r: Raster, x: number, y: number): boolean {
  const o = (y * r.width + x) * 3;
  const red = r.rgb[o]!;
  return red > 110 && red - Math.max(r.rgb[o + 1]!, r.rgb[o + 2]!) > 50;
}

/**
 * A teacher's red ✓ or ✗ in a mark box, told apart by where the ink is: a cross reaches all four
 * corners of the box, a tick leaves its top-left and bottom-right corners empty.
 */
export function readTeacherMark(r: Raster, reg: Registration, box: Rect): MarkDecision {
  const cells = new Array<number>(9).fill(0);
  const steps = Math.max(12, Math.round(box.w * reg.pixelsPerMm));
  let red = 0;
  for (let j = 0; j < steps; j++) {
    for (let i = 0; i < steps; i++) {
      const u = 0.06 + (0.88 * (i + 0.5)) / steps;
      const v = 0.06 + (0.88 * (j + 0.5)) / steps;
      const p = project(reg.toPixels, { x: box.x + u * box.w, y: box.y + v * box.h });
      const x = Math.round(p.x);
      const y = Math.round(p.y);
      if (x < 0 || y < 0 || x >= r.width || y >= r.height || !isRed(r, x, y)) continue;
      red++;
      cells[Math.min(2, Math.floor(((u - 0.06) / 0.88) * 3)) + 3 * Math.min(2, Math.floor(((v - 0.06) / 0.88) * 3))]!++;
    }
  }
  const total = steps * steps;
  if (red < total * 0.01) return { mark: null, confidence: Math.min(1, 1 - red / (total * 0.01)) };
  const share = (cell: number) => cells[cell]! / red;
  const [tl, tr, bl, br] = [share(0), share(2), share(6), share(8)];
  const corner = 0.04;
  if (tl > corner && br > corner && tr > corner && bl > corner) return { mark: 'cross', confidence: Math.min(1, Math.min(tl, br, tr, bl) / (corner * 2)) };
  if (tl <= corner && tr > corner) return { mark: 'tick', confidence: Math.min(1, (tr - tl) / (corner * 2)) };
  return { mark: null, confidence: 0 };
}
