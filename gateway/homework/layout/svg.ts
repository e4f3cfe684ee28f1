import { LINE_WIDTH, PAGE } from './geometry.js';
import { drawPage, type PageText, type Shape } from './drawing.js';
import type { PageLayout } from './layout.js';

export type { PageText };

export function pixelsFor(dpi: number): { width: number; height: number } {
  return { width: Math.round((PAGE.width / 25.4) * dpi), height: Math.round((PAGE.height / 25.4) * dpi) };
}

const esc = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
const n = (v: number) => Number(v.toFixed(3));

function shapeSvg(s: Shape): string {
  switch (s.kind) {
    case 'fill':
      return `<path fill="#000" d="${s.rects.map((r) => `M${n(r.x)} ${n(r.y)}h${n(r.w)}v${n(r.h)}h${n(-r.w)}z`).join('')}"/>`;
    case 'box':
      return `<rect x="${n(s.rect.x)}" y="${n(s.rect.y)}" width="${n(s.rect.w)}" height="${n(s.rect.h)}" fill="none" stroke="${s.colour}" stroke-width="${LINE_WIDTH}"/>`;
    case 'circle':
      return `<circle cx="${n(s.cx)}" cy="${n(s.cy)}" r="${n(s.r)}" fill="none" stroke="${s.colour}" stroke-width="${LINE_WIDTH}"/>`;
    case 'text': {
      // No font metrics here to shorten the text as the PDF does ("…"): a nested viewport the
      // size of the slot (plus room for ascenders and descenders) clips it instead.
      const { x, baseline, size, maxWidth } = s.at;
      const top = baseline - size;
      const [tx, anchor] = s.align === 'center' ? [maxWidth / 2, 'middle'] : [0, 'start'];
      return (
        `<svg x="${n(x)}" y="${n(top)}" width="${n(maxWidth)}" height="${n(1.3 * size)}" overflow="hidden">` +
        `<text x="${n(tx)}" y="${n(size)}" font-size="${size}" fill="${s.colour}" text-anchor="${anchor}"${s.bold ? ' font-weight="bold"' : ''}>${esc(s.text)}</text></svg>`
      );
    }
  }
}

/**
 * The printed page as SVG: millimetre user units (viewBox 0 0 210 297), sized in pixels for
 * `dpi`. The scan synthesiser rasterises it with sharp and passes its pen marks as `overlay`
 * (SVG in the same millimetre units), drawn on top.
 */
export function renderPageSvg(layout: PageLayout, text: PageText, dpi: number, overlay = ''): string {
  const { width, height } = pixelsFor(dpi);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${PAGE.width} ${PAGE.height}" font-family="Helvetica, Arial, Liberation Sans, DejaVu Sans, sans-serif">`,
    `<rect width="${PAGE.width}" height="${PAGE.height}" fill="#fff"/>`,
    ...drawPage(layout, text).map(shapeSvg),
    overlay,
    '</svg>',
  ].join('');
}
