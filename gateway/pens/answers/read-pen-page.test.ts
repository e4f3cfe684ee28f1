import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../homework/assignments/types.js';
import { gradePage } from '../../homework/grading/grade-page.js';
import { layoutAssignment, type Field } from '../../homework/layout/layout.js';
import { seeded } from '../../util/random.js';
import { cross, fillBubble, strikeBubble, tick, writeDigits, writeLines, type PenPath } from '../demo/pen-writing.js';
import { mmToNcode } from '../paper/units.js';
import type { Stroke } from '../strokes/stroke.js';
import { inkOnPage, type InkStroke } from './ink.js';
import { asPageReading, readPenPage } from './read-pen-page.js';
import { DotTrail } from '../strokes/dot-trail.js';

const assignment = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'homework', 'assignments', 'examples', 'fractions-week3.json'), 'utf8')) as Assignment;
const [page1, page2] = layoutAssignment(assignment, { copy: 'personalised' });
const field = (id: string): Field => [...page1!.fields, ...page2!.fields].find((f) => f.questionId === id)!;
const bubble = (id: string, value: string) => field(id).bubbles!.find((b) => b.value === value)!;

/** Paths written one after another, a second apart. */
function written(paths: PenPath[], from = 1_000_000): InkStroke[] {
  return paths.map((points, i) => ({ points, startedAt: from + i * 1_000, endedAt: from + i * 1_000 + 400 }));
}

const reading = (r: Awaited<ReturnType<typeof readPenPage>>, id: string) => r.readings.find((x) => x.questionId === id)!;

describe('answers read from pen strokes', () => {
  it('reads filled bubbles, with when each question was written', async () => {
    const rand = seeded(1);
    const ink = [...written([fillBubble(bubble('q1', 'B'), rand)], 1_000), ...written([fillBubble(bubble('q4', 'A'), rand), fillBubble(bubble('q4', 'C'), rand)], 50_000)];
    const r = await readPenPage(assignment, page1!, ink);
    expect(reading(r, 'q1')).toMatchObject({ state: 'marked', value: ['B'], needsReview: false, firstAt: 1_000, lastAt: 1_400 });
    expect(reading(r, 'q4')).toMatchObject({ state: 'marked', value: ['A', 'C'], needsReview: false, firstAt: 50_000, lastAt: 51_400 });
    expect(reading(r, 'q2')).toMatchObject({ state: 'blank', value: null, needsReview: false, firstAt: null });
  });

  it('a bubble struck out after its fill is cancelled; the other choice stands', async () => {
    const rand = seeded(2);
    const r = await readPenPage(assignment, page1!, written([fillBubble(bubble('q1', 'A'), rand), ...strikeBubble(bubble('q1', 'A'), rand), fillBubble(bubble('q1', 'C'), rand), fillBubble(bubble('q2', 'D'), rand), ...strikeBubble(bubble('q2', 'D'), rand)]));
    expect(reading(r, 'q1')).toMatchObject({ state: 'marked', value: ['C'], needsReview: false });
    expect(reading(r, 'q2')).toMatchObject({ state: 'cancelled', value: null });
  });

  it('flags two marks on a single-choice question, and a small tick inside a bubble, for the teacher', async () => {
    const rand = seeded(3);
    const b = bubble('q2', 'B');
    const smallTick = [{ x: b.cx - 1, y: b.cy }, { x: b.cx - 0.3, y: b.cy + 0.8 }, { x: b.cx + 1, y: b.cy - 1 }];
    const r = await readPenPage(assignment, page1!, written([fillBubble(bubble('q1', 'A'), rand), fillBubble(bubble('q1', 'B'), rand), smallTick]));
    expect(reading(r, 'q1')).toMatchObject({ state: 'multiple', needsReview: true });
    expect(reading(r, 'q2')).toMatchObject({ state: 'faint', needsReview: true });
  });

  it('reads a number from its digit grid', async () => {
    const rand = seeded(4);
    const r = await readPenPage(assignment, page1!, written([fillBubble(bubble('q8', '0:1'), rand), fillBubble(bubble('q8', '1:2'), rand)]));
    expect(reading(r, 'q8')).toMatchObject({ state: 'marked', value: '12', needsReview: false });
  });

  it('tells the teacher’s tick from a cross by the strokes', async () => {
    const rand = seeded(5);
    const r = await readPenPage(assignment, page2!, written([...tick(field('q11').rect, rand), ...cross(field('q12').rect, rand)]));
    expect(reading(r, 'q11')).toMatchObject({ state: 'tick', value: 'tick', needsReview: false });
    expect(reading(r, 'q12')).toMatchObject({ state: 'cross', value: 'cross', needsReview: false });
  });

  it('reads handwritten score digits with the scanner’s recogniser, never sure of a wrong number', async () => {
    for (const [seed, score] of [[6, '7'], [7, '10'], [8, '4']] as const) {
      const boxes = field('q13').boxes!;
      const r = await readPenPage(assignment, page2!, written(writeDigits(boxes.slice(0, score.length), score, seeded(seed))));
      const q13 = reading(r, 'q13');
      if (!q13.needsReview) expect(q13).toMatchObject({ state: 'digits', value: score });
    }
    expect(reading(await readPenPage(assignment, page2!, []), 'q13')).toMatchObject({ state: 'blank', needsReview: false });
  });

  it('keeps a free answer as a picture, and grades the page with the homework grader', async () => {
    const rand = seeded(9);
    const r = await readPenPage(assignment, page2!, written([...writeLines(field('q14').rect, 3, rand), ...tick(field('q11').rect, rand), fillBubble(bubble('q15', 'B'), rand)]), { studentId: 's1' });
    const area = r.answerAreas.find((a) => a.questionId === 'q14')!;
    expect((await sharp(area.png).metadata()).format).toBe('png');
    expect(area.firstAt).not.toBeNull();
    const grade = gradePage(assignment, asPageReading(r));
    expect(grade.questions.find((q) => q.questionId === 'q11')).toMatchObject({ outcome: 'correct', points: 2 });
    expect(grade.questions.find((q) => q.questionId === 'q15')).toMatchObject({ outcome: 'correct', points: 1 });
    expect(grade.studentId).toBe('s1');
  });

  it('converts Ncode strokes to page millimetres and drops ink a later eraser rubbed out', () => {
    const rand = seeded(10);
    const toStroke = (path: PenPath, at: number, eraser = false): Stroke => ({
      pen: 'p',
      mac: null,
      address: { section: 3, owner: 27, note: 1, page: 1 },
      eraser,
      color: null,
      startedAt: at,
      endedAt: at + 500,
      dots: DotTrail.of(path.map((p) => ({ ...mmToNcode(p), t: at, force: 1 }))),
      repairs: [],
      lostDots: null,
    });
    const a = fillBubble(bubble('q1', 'A'), rand);
    const b = fillBubble(bubble('q1', 'B'), rand);
    const ink = inkOnPage([toStroke(a, 0), toStroke(b, 1_000), toStroke(a, 2_000, true)], { x: 0, y: 0 });
    expect(ink).toHaveLength(1);
    expect(ink[0]!.points[0]!.x).toBeCloseTo(b[0]!.x, 6);
  });
});
