import { describe, expect, it } from 'vitest';
import { PageBook } from './page-book.js';
import type { PrintedPage } from './paper/paper-map.js';
import type { Stroke } from './strokes/stroke.js';
import { DotTrail } from './strokes/dot-trail.js';

const page = (n: number): PrintedPage => ({ address: { section: 3, owner: 27, note: 1, page: n }, assignmentId: 'a', page: n, studentId: 's1', layoutHash: 'h' });
const stroke = (pen: string, n: number, at: number): Stroke => ({
  pen, mac: null, address: page(n).address, eraser: false, color: null, startedAt: at, endedAt: at + 500, dots: new DotTrail(), repairs: [], lostDots: 0,
});

describe('page book', () => {
  it('makes a page due when the pen leaves it or after the settle time, not while it is being written', () => {
    const book = new PageBook();
    book.add(stroke('p', 1, 0), page(1), { studentId: 's1', teacher: false });
    expect(book.due(10_000, 20_000)).toEqual([]);
    expect(book.due(30_000, 20_000).map((p) => p.printed.page)).toEqual([1]);
    book.add(stroke('p', 2, 1_000), page(2), { studentId: 's1', teacher: false });
    expect(book.due(2_000, 20_000).map((p) => p.printed.page)).toEqual([1]);
    // A teacher's pen on page 1 does not move the student's pen off page 2.
    book.add(stroke('t', 1, 2_000), page(1), { studentId: null, teacher: true });
    expect(book.due(3_000, 20_000).map((p) => p.printed.page)).toEqual([1]);
    expect(book.due(3_000, 20_000, true).map((p) => p.printed.page)).toEqual([1, 2]);
  });

  it('lets go of pages sent and left alone, never of pages not yet sent', () => {
    const book = new PageBook();
    const first = book.add(stroke('p', 1, 0), page(1), { studentId: 's1', teacher: false });
    book.add(stroke('p', 2, 100_000), page(2), { studentId: 's1', teacher: false });
    expect(book.forget(1_000_000)).toBe(0);
    first.dirty = false;
    expect(book.forget(50_000)).toBe(1);
    expect(book.due(200_000, 20_000, true).map((p) => p.printed.page)).toEqual([2]);
    // Written on again, the page starts afresh with only the new stroke.
    expect(book.add(stroke('p', 1, 300_000), page(1), { studentId: 's1', teacher: false }).strokes).toHaveLength(1);
  });
});
