import QRCode from 'qrcode';
import { FIDUCIAL_SIZE, FIDUCIALS, PAGE, QR_BOX } from './geometry.js';
import type { Field, PageLayout } from './layout.js';
import { encodePageId } from './page-id.js';

export interface PageText {
  title: string;
  subject: string;
  studentId: string | null;
  studentName?: string;
  className?: string;
}

export function pixelsFor(dpi: number): { width: number; height: number } {
  return { width: Math.round((PAGE.width / 25.4) * dpi), height: Math.round((PAGE.height / 25.4) * dpi) };
}

const esc = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

function qrRects(text: string): string {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = QR_BOX.w / n;
  const rects: string[] = [];
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (qr.modules.get(x, y)) rects.push(`<rect x="${(QR_BOX.x + x * cell).toFixed(3)}" y="${(QR_BOX.y + y * cell).toFixed(3)}" width="${cell.toFixed(3)}" height="${cell.toFixed(3)}"/>`);
    }
  }
  return `<g fill="#000" shape-rendering="crispEdges">${rects.join('')}</g>`;
}

function fieldSvg(f: Field): string {
  // The id grid's long label goes above it; question numbers sit left of their row.
  const [lx, ly] = f.kind === 'id-grid' ? [f.rect.x, f.rect.y - 1.5] : [f.rect.x - 16, f.rect.y + 4];
  const label = `<text x="${lx}" y="${ly}" font-size="3.6" font-weight="bold">${esc(f.label)}</text>`;
  switch (f.kind) {
    case 'bubbles':
    case 'id-grid':
      // Option letters sit inside the circle in light grey, as on common answer sheets: a student sees
      // which bubble is which, and the reader measures them away as part of the blank level.
      return (
        label +
        (f.bubbles ?? [])
          .map((b) => {
            const letter = b.value.includes(':') ? b.value.split(':')[1]! : b.value;
            return `<circle cx="${b.cx}" cy="${b.cy}" r="${b.r}" fill="none" stroke="#000" stroke-width="0.3"/><text x="${b.cx}" y="${b.cy + 1}" font-size="2.6" fill="#bbb" text-anchor="middle">${esc(letter)}</text>`;
          })
          .join('')
      );
    case 'mark-box':
    case 'answer-area':
      return `${label}<rect x="${f.rect.x}" y="${f.rect.y}" width="${f.rect.w}" height="${f.rect.h}" fill="none" stroke="#777" stroke-width="0.3"/>`;
    case 'digit-boxes':
      return label + (f.boxes ?? []).map((r) => `<rect x="${r.x}" y="${r.y}" width="${r.w}" height="${r.h}" fill="none" stroke="#777" stroke-width="0.3"/>`).join('');
  }
}

/**
 * The printed page as SVG: millimetre user units, sized in pixels for `dpi`. The PDF printer
 * draws the same layout; the scan synthesiser rasterises this with sharp and adds the marks
 * (`overlay`, SVG in the same millimetre units) on top.
 */
export function renderPageSvg(layout: PageLayout, text: PageText, dpi: number, overlay = ''): string {
  const { width, height } = pixelsFor(dpi);
  const s = FIDUCIAL_SIZE / 2;
  const fiducials = FIDUCIALS.map((p) => `<rect x="${p.x - s}" y="${p.y - s}" width="${FIDUCIAL_SIZE}" height="${FIDUCIAL_SIZE}"/>`).join('');
  const who = text.studentName ? `${esc(text.studentName)}${text.studentId ? ` (${esc(text.studentId)})` : ''}` : 'Name: ______________________';
  const pageId = encodePageId({ assignmentId: layout.assignmentId, page: layout.page, studentId: text.studentId, layoutHash: layout.layoutHash });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${PAGE.width} ${PAGE.height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">`,
    `<rect width="${PAGE.width}" height="${PAGE.height}" fill="#fff"/>`,
    `<g fill="#000">${fiducials}</g>`,
    qrRects(pageId),
    `<text x="22" y="22" font-size="5" font-weight="bold">${esc(text.title)}</text>`,
    `<text x="22" y="29" font-size="3.5">${esc(text.subject)}${text.className ? ` · class ${esc(text.className)}` : ''} · page ${layout.page}/${layout.pageCount}</text>`,
    `<text x="22" y="37" font-size="3.5">${who}</text>`,
    ...layout.fields.map(fieldSvg),
    overlay,
    '</svg>',
  ].join('');
}
