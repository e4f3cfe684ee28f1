import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../assignments/types.js';
import { FIDUCIAL_SIZE, FIDUCIALS, overlaps, PAGE, textRect, type Rect } from './geometry.js';
import { layoutAssignment, LayoutError, type PageLayout } from './layout.js';

const example = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'assignments', 'examples', 'fractions-week3.json'), 'utf8')) as Assignment;
const grow = (r: Rect, by: number): Rect => ({ x: r.x - by, y: r.y - by, w: r.w + 2 * by, h: r.h + 2 * by });
const contains = (outer: Rect, inner: Rect, slack = 1e-9) =>
  inner.x >= outer.x - slack && inner.y >= outer.y - slack && inner.x + inner.w <= outer.x + outer.w + slack && inner.y + inner.h <= outer.y + outer.h + slack;
/** Inside the fiducials' inner edges. */
const FRAME: Rect = grow({ x: FIDUCIALS[0]!.x, y: FIDUCIALS[0]!.y, w: FIDUCIALS[2]!.x - FIDUCIALS[0]!.x, h: FIDUCIALS[2]!.y - FIDUCIALS[0]!.y }, -FIDUCIAL_SIZE / 2);

/** Everything a page prints besides the fiducials, each with a name for failure messages. */
function printed(page: PageLayout): { what: string; rect: Rect }[] {
  return [
    ...Object.entries(page.header).map(([name, slot]) => ({ what: `header ${name}`, rect: textRect(slot) })),
    { what: 'QR code with its quiet zone', rect: grow(page.frame.qr, page.frame.qrQuiet) },
    ...page.fields.flatMap((f) => [
      { what: `${f.id} field`, rect: f.rect },
      { what: `${f.id} label`, rect: textRect(f.labelAt) },
      ...(f.prompt ? [{ what: `${f.id} prompt`, rect: textRect(f.prompt.at) }] : []),
    ]),
  ];
}

describe('page layout of the example assignment', () => {
  for (const copy of ['personalised', 'generic'] as const) {
    it(`keeps everything on a ${copy} copy inside the fiducial frame and clear of everything else`, () => {
      for (const page of layoutAssignment(example, { copy })) {
        const items = printed(page);
        for (const { what, rect } of items) expect(contains(FRAME, rect), `${what} inside the frame`).toBe(true);
        items.forEach((a, i) => items.slice(i + 1).forEach((b) => expect(overlaps(a.rect, b.rect), `${a.what} overlaps ${b.what}`).toBe(false)));
      }
    });
  }

  it('prints four identical fiducials 12 mm from the edges and the QR code top right', () => {
    const [page] = layoutAssignment(example);
    const { fiducials, fiducialSize, qr } = page!.frame;
    expect(fiducials.map((p) => [Math.min(p.x, PAGE.width - p.x), Math.min(p.y, PAGE.height - p.y)])).toEqual(Array(4).fill([12, 12]));
    expect(fiducialSize).toBeGreaterThanOrEqual(5);
    expect(qr.w).toBe(qr.h);
    expect(qr.w).toBeGreaterThanOrEqual(20);
    expect(qr.x).toBeGreaterThan(PAGE.width / 2);
    expect(qr.y + qr.h).toBeLessThan(PAGE.height / 4);
  });

  it('makes bubbles, digit boxes and mark boxes big enough for a 150 dpi scan', () => {
    const fields = layoutAssignment(example, { copy: 'generic' }).flatMap((p) => p.fields);
    expect(new Set(fields.map((f) => f.kind))).toEqual(new Set(['id-grid', 'bubbles', 'mark-box', 'digit-boxes', 'answer-area']));
    for (const f of fields) {
      const bubbles = f.bubbles ?? [];
      bubbles.forEach((b, i) => {
        expect(b.r * 2).toBeGreaterThanOrEqual(4.5);
        expect(contains(f.rect, { x: b.cx - b.r, y: b.cy - b.r, w: 2 * b.r, h: 2 * b.r })).toBe(true);
        for (const o of bubbles.slice(i + 1)) expect(Math.hypot(o.cx - b.cx, o.cy - b.cy), `${f.id} ${b.value}–${o.value}`).toBeGreaterThanOrEqual(7);
      });
      for (const box of f.boxes ?? []) {
        expect(box.w).toBeGreaterThanOrEqual(8);
        expect(box.h).toBeGreaterThanOrEqual(10);
        expect(contains(f.rect, box)).toBe(true);
      }
      if (f.kind === 'mark-box') expect([f.rect.w, f.rect.h]).toEqual([f.rect.w, f.rect.w]);
      if (f.kind === 'mark-box') expect(f.rect.w).toBeGreaterThanOrEqual(14);
    }
  });

  it('gives numeric questions and the student-number grid one row of 0–9 per digit', () => {
    const [generic] = layoutAssignment(example, { copy: 'generic', studentIdDigits: 3 });
    const grid = generic!.fields[0]!;
    expect(grid).toMatchObject({ kind: 'id-grid', questionId: 'student-id' });
    expect(grid.bubbles!.map((b) => b.value)).toEqual(['0', '1', '2'].flatMap((row) => Array.from({ length: 10 }, (_, d) => `${row}:${d}`)));
    const q8 = generic!.fields.find((f) => f.id === 'q8')!;
    expect(q8.bubbles).toHaveLength(20);
    expect(q8.bubbles!.filter((b) => b.value.startsWith('1:')).every((b) => b.cy > q8.bubbles![0]!.cy)).toBe(true);
  });

  it('hashes what the reader relies on: geometry and copy, not the wording', () => {
    const hashes = (a: Assignment, copy: 'personalised' | 'generic' = 'personalised') => layoutAssignment(a, { copy }).map((p) => p.layoutHash);
    const base = hashes(example);
    expect(base[0]).toMatch(/^[0-9a-f]{8}$/);
    expect(hashes(structuredClone(example))).toEqual(base);
    const reworded = structuredClone(example);
    reworded.title = 'Another title';
    reworded.pages[1]!.questions[0]!.prompt = 'Another prompt';
    expect(hashes(reworded)).toEqual(base);
    const moreOptions = structuredClone(example);
    moreOptions.pages[0]!.questions[0]!.options = ['A', 'B', 'C', 'D', 'E'];
    expect(hashes(moreOptions)[0]).not.toBe(base[0]);
    expect(hashes(moreOptions)[1]).toBe(base[1]);
    expect(hashes(example, 'generic')[0]).not.toBe(base[0]);
  });

  it('refuses a page that overflows, naming the question', () => {
    const long = structuredClone(example);
    long.pages[1]!.questions.push({ id: 'q99', label: '99', type: 'free', heightMm: 200 });
    expect(() => layoutAssignment(long)).toThrow(LayoutError);
    expect(() => layoutAssignment(long)).toThrow('page 2: question q99 (99) does not fit on the page');
    const wide = structuredClone(example);
    wide.pages[0]!.questions[0]!.options = 'ABCDEFGHIJKLMNOPQRS'.split('');
    expect(() => layoutAssignment(wide)).toThrow('page 1: question q1 (1) is too wide');
  });
});
