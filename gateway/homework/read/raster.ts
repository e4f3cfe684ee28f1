import type { Point } from '../layout/geometry.js';

/** A decoded scan, interleaved RGB, plus a luma plane for code and mark finding. */
export interface Raster {
  rgb: Uint8Array;
  grey: Uint8Array;
  width: number;
  height: number;
}

export function toRaster(rgb: Uint8Array, width: number, height: number): Raster {
  const grey = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < grey.length; i++, j += 3) grey[i] = (rgb[j]! * 77 + rgb[j + 1]! * 150 + rgb[j + 2]! * 29) >> 8;
  return { rgb, grey, width, height };
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
