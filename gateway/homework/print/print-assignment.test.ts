import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../log/logger.js';
import { parseRosterCsv } from '../assignments/roster.js';
import type { Assignment } from '../assignments/types.js';
import { drawPage } from '../layout/drawing.js';
import { PAGE, QR_BOX, type Rect } from '../layout/geometry.js';
import { layoutAssignment } from '../layout/layout.js';
import { decodePageId } from '../layout/page-id.js';
import { pixelsFor } from '../layout/svg.js';
import { qrTextsInSvg } from '../layout/test-support/decode-qr.js';
import { printAssignment } from './print-assignment.js';

const examples = join(import.meta.dirname, '..', 'assignments', 'examples');
const example = JSON.parse(readFileSync(join(examples, 'fractions-week3.json'), 'utf8')) as Assignment;
const roster = parseRosterCsv(readFileSync(join(examples, 'class-5b.csv'), 'utf8'), '5b');
const pt = (mm: number) => (mm * 72) / 25.4;
const pageObjects = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

/** What one page's content stream paints: filled and stroked rectangles, and where stroked curves (circles) start. */
interface Painted {
  filled: Rect[];
  stroked: Rect[];
  curveStarts: { x: number; y: number }[];
}

/**
 * Each page's content stream, decompressed and reduced to the rectangles and circles it paints,
 * in points from the top-left (pdfkit flips the axis once, first thing on every page).
 */
function paintedPages(pdf: Buffer): Painted[] {
  const text = pdf.toString('latin1');
  const pages: Painted[] = [];
  for (const m of text.matchAll(/<<([^>]*)>>\s*stream\r?\n/g)) {
    const length = Number(/\/Length (\d+)/.exec(m[1]!)?.[1]);
    const start = m.index + m[0].length;
    const raw = pdf.subarray(start, start + length);
    const ops = (/FlateDecode/.test(m[1]!) ? inflateSync(raw) : raw).toString('latin1').split('\n');
    const page: Painted = { filled: [], stroked: [], curveStarts: [] };
    let rects: Rect[] = [];
    let moves: { x: number; y: number }[] = [];
    for (const op of ops) {
      const n = op.split(' ').map(Number);
      if (op.endsWith(' re')) rects.push({ x: n[0]!, y: n[1]!, w: n[2]!, h: n[3]! });
      else if (op.endsWith(' m')) moves.push({ x: n[0]!, y: n[1]! });
      else if (op === 'f' || op === 'S') {
        if (op === 'f') page.filled.push(...rects);
        else page.stroked.push(...rects), page.curveStarts.push(...moves);
        [rects, moves] = [[], []];
      }
    }
    if (page.filled.length) pages.push(page);
  }
  return pages;
}

const key = (r: Rect) => [r.x, r.y, r.w, r.h].map((v) => v.toFixed(2)).join(' ');

describe('printing an assignment', () => {
  it('makes every page once per student on the roster', async () => {
    const pdf = await printAssignment(example, { copies: 'personalised', roster });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pageObjects(pdf)).toBe(roster.students.length * example.pages.length);
    expect(paintedPages(pdf)).toHaveLength(roster.students.length * example.pages.length);
  });

  it('makes generic copies with the student-number grid', async () => {
    const pdf = await printAssignment(example, { copies: 'generic', count: 3 });
    expect(pageObjects(pdf)).toBe(3 * example.pages.length);
    const grid = layoutAssignment(example, { copy: 'generic' })[0]!.fields.find((f) => f.kind === 'id-grid')!;
    const starts = new Set(paintedPages(pdf)[0]!.curveStarts.map((p) => `${p.x.toFixed(2)} ${p.y.toFixed(2)}`));
    for (const b of grid.bubbles!) expect(starts.has(`${pt(b.cx - b.r).toFixed(2)} ${pt(b.cy).toFixed(2)}`), b.value).toBe(true);
  });

  it('paints exactly the shapes the SVG has: fiducials, QR modules, boxes and bubbles', async () => {
    const student = roster.students[2]!;
    const [page] = paintedPages(await printAssignment(example, { copies: 'personalised', roster: { students: [student] } }));
    const shapes = drawPage(layoutAssignment(example)[0]!, { title: example.title, subject: example.subject, studentId: student.id });
    const toPt = (r: Rect): Rect => ({ x: pt(r.x), y: pt(r.y), w: pt(r.w), h: pt(r.h) });
    const fills = shapes.flatMap((s) => (s.kind === 'fill' ? s.rects : [])).map(toPt);
    expect(page!.filled.map(key).sort()).toEqual(fills.map(key).sort());
    const boxes = shapes.flatMap((s) => (s.kind === 'box' ? [s.rect] : [])).map(toPt);
    expect(page!.stroked.map(key).sort()).toEqual(boxes.map(key).sort());
    const circles = shapes.flatMap((s) => (s.kind === 'circle' ? [`${pt(s.cx - s.r).toFixed(2)} ${pt(s.cy).toFixed(2)}`] : []));
    expect(page!.curveStarts.map((p) => `${p.x.toFixed(2)} ${p.y.toFixed(2)}`).sort()).toEqual(circles.sort());
  });

  it("prints a QR code that decodes to that student's page, read from the PDF itself at 150 dpi", async () => {
    const student = roster.students[2]!;
    const pages = paintedPages(await printAssignment(example, { copies: 'personalised', roster: { students: [student] } }));
    const qr = { x: pt(QR_BOX.x), y: pt(QR_BOX.y), w: pt(QR_BOX.w), h: pt(QR_BOX.h) };
    const inQr = (r: Rect) => r.x >= qr.x - 0.01 && r.y >= qr.y - 0.01 && r.x + r.w <= qr.x + qr.w + 0.01 && r.y + r.h <= qr.y + qr.h + 0.01;
    const { width, height } = pixelsFor(150);
    for (const [i, layout] of layoutAssignment(example).entries()) {
      const modules = pages[i]!.filled.filter(inQr);
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${pt(PAGE.width)} ${pt(PAGE.height)}"><rect width="100%" height="100%" fill="#fff"/>${modules.map((r) => `<rect x="${r.x}" y="${r.y}" width="${r.w}" height="${r.h}"/>`).join('')}</svg>`;
      expect((await qrTextsInSvg(svg)).map(decodePageId)).toEqual([{ assignmentId: example.id, page: layout.page, studentId: student.id, layoutHash: layout.layoutHash }]);
    }
  });

  it('prints "?" for characters Helvetica lacks, and says so', async () => {
    const warn = vi.fn();
    const chinese = parseRosterCsv('学号,姓名\n2024001,张敏\n');
    const pdf = await printAssignment(example, { copies: 'personalised', roster: chinese, log: { warn } as unknown as Logger });
    expect(pageObjects(pdf)).toBe(example.pages.length);
    expect(warn).toHaveBeenCalledOnce();
    expect(warn.mock.calls[0]![0]).toEqual({ assignmentId: example.id, characters: '张敏' });
  });

  it('refuses an assignment whose page does not fit, naming the question', async () => {
    const long = structuredClone(example);
    long.pages[0]!.questions.push({ id: 'q99', label: '99', type: 'free', heightMm: 200 });
    await expect(printAssignment(long, { copies: 'generic' })).rejects.toThrow('question q99');
  });
});
