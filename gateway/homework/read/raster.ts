import type { Point } from '../layout/geometry.js';

/** A decoded scan, interleaved RGB. */
export interface Raster {
  rgb: Uint8Array;
  width: number;
  height: number;
}

export function luma(r: Raster, x: number, y: number): number {
  const o = (y * r.width + x) * 3;
  return (r.rgb[o]! * 77 + r.rgb[o + 1]! * 150 + r.rgb[o + 2]! * 29) >> 8;
}

/** The luma of one region, for the QR decoder: converting only where a code may be keeps it cheap. */
export function greyRegion(r: Raster, x0: number, y0: number, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = luma(r, x0 + x, y0 + y);
  return out;
}

/** Calls `visit` with the red channel and RGB offset of every pixel inside a disc. */
export function forDisc(r: Raster, c: Point, radius: number, visit: (red: number, offset: number) => void): void {
  const x0 = Math.max(0, Math.floor(c.x - radius));
  const x1 = Math.min(r.width - 1, Math.ceil(c.x + radius));
  const y0 = Math.max(0, Math.floor(c.y - radius));
  const y1 = Math.min(r.height - 1, Math.ceil(c.y + radius));
  const r2 = radius * radius;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const dx = x - c.x;
      const dy = y - c.y;
      if (dx * dx + dy * dy <= r2) {
        const o = (y * r.width + x) * 3;
        visit(r.rgb[o]!, o);
      }
    }
  }
}

/**
 * True when a scan holds no writing or print: the back of a single-sided sheet in a duplex batch.
 * Ink is anything darker than 60 % of the paper's own white, so show-through from the front and
 * a grey scanner background do not count; an all-dark scan (lid open, cover sheet) is not blank.
 */
export function isBlankSide(r: Raster): boolean {
  const histogram = new Uint32Array(256);
  let samples = 0;
  for (let y = 0; y < r.height; y += 4) {
    for (let x = 0; x < r.width; x += 4) {
      histogram[luma(r, x, y)]! += 1;
      samples += 1;
    }
  }
  let paper = 255;
  for (let seen = 0; paper > 0 && seen < samples * 0.05; paper--) seen += histogram[paper]!;
  if (paper < 96) return false;
  let ink = 0;
  for (let v = 0; v < paper * 0.6; v++) ink += histogram[v]!;
  return ink < samples * 0.002;
}
