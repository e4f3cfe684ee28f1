import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../assignments/types.js';
import { findQrCodes } from '../read/qr-decoder.js';
import { BUBBLE_PITCH, CONTENT, FIDUCIAL_SIZE, FIDUCIALS, overlaps, QR_BOX, QR_QUIET } from './geometry.js';
import { layoutAssignment, LayoutError } from './layout.js';
import { decodePageId, encodePageId } from './page-id.js';
import { renderPageSvg } from './svg.js';

const example = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'assignments', 'examples', 'fractions-week3.json'), 'utf8')) as Assignment;

describe('page layout', () => {
  for (const copy of ['personalised', 'generic'] as const) {
    it(`keeps every ${copy} field inside the frame, clear of the QR code, fiducials and each other`, () => {
      for (const page of layoutAssignment(example, { copy })) {
        const rects = page.fields.map((f) => f.rect);
        const qrZone = { x: QR_BOX.x - QR_QUIET, y: QR_BOX.y - QR_QUIET, w: QR_BOX.w + 2 * QR_QUIET, h: QR_BOX.h + 2 * QR_QUIET };
        const marks = FIDUCIALS.map((p) => ({ x: p.x - FIDUCIAL_SIZE, y: p.y - FIDUCIAL_SIZE, w: 2 * FIDUCIAL_SIZE, h: 2 * FIDUCIAL_SIZE }));
        rects.forEach((r, i) => {
          expect(r.x).toBeGreaterThanOrEqual(CONTENT.left);
          expect(r.x + r.w).toBeLessThanOrEqual(CONTENT.right);
          expect(r.y + r.h).toBeLessThanOrEqual(CONTENT.bottom);
          expect(overlaps(r, qrZone)).toBe(false);
          for (const m of marks) expect(overlaps(r, m)).toBe(false);
          rects.slice(i + 1).forEach((other) => expect(overlaps(r, other)).toBe(false));
        });
        for (const f of page.fields) for (const b of f.bubbles ?? []) expect(b.r * 2).toBeGreaterThanOrEqual(5);
        expect(BUBBLE_PITCH).toBeGreaterThanOrEqual(7.5);
      }
    });
  }

  it('hashes the geometry: stable for the same layout, different when it changes', () => {
    const [a] = layoutAssignment(example);
    const [b] = layoutAssignment(structuredClone(example));
    expect(a!.layoutHash).toBe(b!.layoutHash);
    const changed = structuredClone(example);
    changed.pages[0]!.questions[0]!.options = ['A', 'B', 'C', 'D', 'E'];
    expect(layoutAssignment(changed)[0]!.layoutHash).not.toBe(a!.layoutHash);
  });

  it('names the question that does not fit', () => {
    const long = structuredClone(example);
    long.pages[1]!.questions.push({ id: 'q99', label: '99', type: 'free', heightMm: 200 });
    expect(() => layoutAssignment(long)).toThrow(LayoutError);
    expect(() => layoutAssignment(long)).toThrow(/q99/);
  });

  it('encodes page ids compactly and refuses anything else', () => {
    const id = { assignmentId: 'fractions-week3', page: 2, studentId: 's017', layoutHash: 'ab12cd34' };
    expect(decodePageId(encodePageId(id))).toEqual(id);
    expect(decodePageId(encodePageId({ ...id, studentId: null }))).toEqual({ ...id, studentId: null });
    for (const bad of ['', 'hello', 'CG1:a:0:s:h', 'CG2:a:1:s:h', 'CG1:a:1:s', 'CG1:a b:1:s:h']) expect(decodePageId(bad)).toBeNull();
  });

  for (const [dpi, angle] of [
    [200, 0],
    [150, 0],
    [200, 90],
    [200, 180],
    [150, 272],
  ] as const) {
    it(`prints a QR code the reader finds at ${dpi} dpi turned ${angle}°`, async () => {
      const [page] = layoutAssignment(example);
      const svg = renderPageSvg(page!, { title: example.title, subject: example.subject, studentId: 's017', studentName: 'Li Wei' }, dpi);
      const { data, info } = await sharp(Buffer.from(svg)).rotate(angle, { background: '#fff' }).greyscale().raw().toBuffer({ resolveWithObject: true });
      const codes = await findQrCodes(data, info.width, info.height);
      expect(codes.map((c) => decodePageId(c.text))).toEqual([{ assignmentId: 'fractions-week3', page: 1, studentId: 's017', layoutHash: page!.layoutHash }]);
    });
  }
});
