import sharp from 'sharp';
import type { Rect } from '../../homework/layout/geometry.js';
import type { Registration } from '../../homework/read/locate.js';
import type { Raster } from '../../homework/read/raster.js';
import type { InkStroke } from './ink.js';

/** A ballpoint's line on paper. */
const PEN_WIDTH_MM = 0.6;

/** The strokes inside `region` drawn black on white, `pxPerMm` pixels per millimetre. */
function inkSvg(strokes: InkStroke[], region: Rect, pxPerMm: number): string {
  const width = Math.max(1, Math.round(region.w * pxPerMm));
  const height = Math.max(1, Math.round(region.h * pxPerMm));
  const paths = strokes
    .filter((s) => s.points.length > 0)
    .map((s) => {
      const [first, ...rest] = s.points;
      // A one-dot stroke still leaves a dot of ink: a zero-length line with round caps draws it.
      const d = `M${first!.x.toFixed(2)} ${first!.y.toFixed(2)}${(rest.length ? rest : [first!]).map((p) => ` L${p.x.toFixed(2)} ${p.y.toFixed(2)}`).join('')}`;
      return `<path d="${d}"/>`;
    })
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>` +
    `<g transform="scale(${pxPerMm}) translate(${-region.x} ${-region.y})" fill="none" stroke="#000" stroke-width="${PEN_WIDTH_MM}" stroke-linecap="round" stroke-linejoin="round">${paths}</g></svg>`
  );
}

/**
 * The region as if scanned, with the registration that maps its millimetres to its pixels, so
 * the scanner's own readers can read pen ink.
 */
export async function renderInk(strokes: InkStroke[], region: Rect, pxPerMm: number): Promise<{ raster: Raster; registration: Registration }> {
  const { data, info } = await sharp(Buffer.from(inkSvg(strokes, region, pxPerMm))).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const toPixels = [pxPerMm, 0, -region.x * pxPerMm, 0, pxPerMm, -region.y * pxPerMm, 0, 0, 1];
  return {
    raster: { rgb: data, width: info.width, height: info.height },
    registration: { toPixels, pixelsPerMm: pxPerMm, rotationDegrees: 0, errorMm: 0, fiducialsFound: 4 },
  };
}

/** The region's writing as a PNG, kept for the teacher like a scan's crop. */
export function inkPng(strokes: InkStroke[], region: Rect, pxPerMm: number): Promise<Buffer> {
  return sharp(Buffer.from(inkSvg(strokes, region, pxPerMm))).png().toBuffer();
}
