import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../assignments/types.js';
import { drawPage } from './drawing.js';
import { QR_BOX, QR_QUIET } from './geometry.js';
import { layoutAssignment } from './layout.js';
import { decodePageId, encodePageId } from './page-id.js';
import { pixelsFor, renderPageSvg, type PageText } from './svg.js';
import { qrTextsInSvg } from './test-support/decode-qr.js';

const example = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'assignments', 'examples', 'fractions-week3.json'), 'utf8')) as Assignment;
const personalised = layoutAssignment(example, { copy: 'personalised' });
const student: PageText = { title: example.title, subject: example.subject, className: '5b', studentId: 's017', studentName: 'Li Wei', studentNumber: 17 };
const longest = { assignmentId: `a${'-'.repeat(63)}`, studentId: 'S'.repeat(64) };

describe('the page as SVG', () => {
  it('is drawn in millimetres, sized in pixels for the scan resolution', () => {
    const svg = renderPageSvg(personalised[0]!, student, 150);
    expect(svg).toContain('viewBox="0 0 210 297"');
    expect(svg).toContain(`width="${pixelsFor(150).width}" height="${pixelsFor(150).height}"`);
    expect(svg).toContain('17. Li Wei (s017)');
  });

  for (const dpi of [200, 150]) {
    it(`carries a QR code that zxing reads back as the page id at ${dpi} dpi`, async () => {
      for (const layout of personalised) {
        const texts = await qrTextsInSvg(renderPageSvg(layout, student, dpi));
        expect(texts.map(decodePageId)).toEqual([{ assignmentId: example.id, page: layout.page, studentId: 's017', layoutHash: layout.layoutHash }]);
      }
    });
  }

  it('reads generic copies (no student) and pages fed sideways or upside down', async () => {
    const [generic] = layoutAssignment(example, { copy: 'generic' });
    const genericText = { title: example.title, subject: example.subject, studentId: null };
    expect((await qrTextsInSvg(renderPageSvg(generic!, genericText, 150))).map(decodePageId)).toEqual([{ assignmentId: example.id, page: 1, studentId: null, layoutHash: generic!.layoutHash }]);
    for (const angle of [90, 180]) expect(await qrTextsInSvg(renderPageSvg(personalised[1]!, student, 150), angle)).toHaveLength(1);
  });

  it('reads the longest ids the schema and the roster allow at 150 dpi', async () => {
    const [page] = layoutAssignment({ ...example, id: longest.assignmentId });
    const texts = await qrTextsInSvg(renderPageSvg(page!, { ...student, studentId: longest.studentId }, 150));
    expect(texts.map(decodePageId)).toEqual([{ ...longest, page: 1, layoutHash: page!.layoutHash }]);
  });

  it('keeps a quiet zone of at least 4 modules around every QR code the payload can make', () => {
    for (const id of [{ assignmentId: 'a', studentId: null }, longest]) {
      const { modules } = QRCode.create(encodePageId({ ...id, page: 999, layoutHash: '0123abcd' }), { errorCorrectionLevel: 'M' });
      expect(QR_QUIET).toBeGreaterThanOrEqual((4 * QR_BOX.w) / modules.size);
    }
  });

  it('inks nothing in the quiet zone, however long the title and the name', async () => {
    const dpi = 150;
    const text = { ...student, title: 'W'.repeat(80), studentName: 'W'.repeat(80), subject: 'W'.repeat(80) };
    const { data, info } = await sharp(Buffer.from(renderPageSvg(personalised[0]!, text, dpi))).greyscale().raw().toBuffer({ resolveWithObject: true });
    const px = (mm: number) => Math.round((mm / 25.4) * dpi);
    // The ring between the QR box (plus half a millimetre for its anti-aliased edge) and the quiet zone's edge.
    const [inner, outer] = [0.5, QR_QUIET].map((m) => ({ x0: px(QR_BOX.x - m), y0: px(QR_BOX.y - m), x1: px(QR_BOX.x + QR_BOX.w + m), y1: px(QR_BOX.y + QR_BOX.h + m) }));
    let darkest = 255;
    for (let y = outer!.y0; y < outer!.y1; y++) {
      for (let x = outer!.x0; x < outer!.x1; x++) {
        if (x >= inner!.x0 && x < inner!.x1 && y >= inner!.y0 && y < inner!.y1) continue;
        darkest = Math.min(darkest, data[y * info.width + x]!);
      }
    }
    expect(darkest).toBe(255);
  });

  it('refuses to draw a student on a generic layout or none on a personalised one', () => {
    const [generic] = layoutAssignment(example, { copy: 'generic' });
    expect(() => drawPage(generic!, student)).toThrow('generic page cannot carry a student id');
    expect(() => drawPage(personalised[0]!, { ...student, studentId: null })).toThrow('personalised page needs a student id');
  });
});
