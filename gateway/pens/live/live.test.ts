import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../homework/assignments/types.js';
import { layoutAssignment } from '../../homework/layout/layout.js';
import { PaperMap } from '../paper/paper-map.js';
import { mmToNcode } from '../paper/units.js';
import type { Stroke } from '../strokes/stroke.js';
import { ClassProgress, type PlacedStroke } from './class-progress.js';
import { placeStroke, type Placement } from './place-stroke.js';
import { DotTrail } from '../strokes/dot-trail.js';

const S = 1_000;
const at = (studentId: string, questionId: string | null, startedAt: number, ms = 2 * S): PlacedStroke => ({ studentId, assignmentId: 'a', page: 1, questionId, startedAt, endedAt: startedAt + ms });

describe('class progress', () => {
  it('tracks questions answered, active and idle time, and who is writing, thinking or idle', () => {
    const progress = new ClassProgress();
    for (const s of [at('s10', 'q1', 0), at('s10', 'q1', 4 * S), at('s10', 'q2', 30 * S), at('s10', null, 200 * S), at('s2', 'q1', 195 * S)]) progress.record(s);
    const [s2, s10] = progress.snapshot(203 * S);
    expect(s2).toMatchObject({ studentId: 's2', status: 'thinking', answered: ['q1'], activeMs: 2 * S, idleMs: 0 });
    // 3 strokes of 2 s and the 2 s gap; 24 s thinking; the 168 s pause is idle.
    expect(s10).toMatchObject({ studentId: 's10', status: 'writing', answered: ['q1', 'q2'], activeMs: 10 * S, idleMs: 168 * S, lastActivityAt: 202 * S });
    expect(progress.snapshot(400 * S)[1]).toMatchObject({ status: 'idle', idleMs: 168 * S + 198 * S });
  });
});

describe('placing a stroke', () => {
  const assignment = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'homework', 'assignments', 'examples', 'fractions-week3.json'), 'utf8')) as Assignment;
  const layouts = { personalised: layoutAssignment(assignment, { copy: 'personalised' }), generic: layoutAssignment(assignment, { copy: 'generic' }) };
  const address = (page: number) => ({ section: 3, owner: 27, note: 1, page });
  const map = new PaperMap({
    pages: [
      { address: address(1), assignmentId: assignment.id, page: 1, studentId: 's7', layoutHash: layouts.personalised[0]!.layoutHash },
      { address: address(2), assignmentId: assignment.id, page: 1, studentId: null, layoutHash: layouts.generic[0]!.layoutHash },
    ],
  });
  const where: Placement = {
    paperMap: map,
    layoutOf: (_, page, copy) => layouts[copy][page - 1],
    penOwner: (mac) => (mac === 'PEN-9' ? 's9' : null),
    isTeacherPen: (mac) => mac === 'TEACHER',
  };
  const b = layouts.personalised[0]!.fields.find((f) => f.questionId === 'q2')!.bubbles![1]!;
  const stroke = (page: number, mac: string | null): Stroke => ({
    pen: 'p',
    mac,
    address: address(page),
    eraser: false,
    color: null,
    startedAt: 5,
    endedAt: 9,
    dots: DotTrail.of([{ ...mmToNcode({ x: b.cx, y: b.cy }), t: 5, force: 1 }]),
    repairs: [],
    lostDots: null,
  });

  it('finds the student from the printed page, or from the pen on a generic copy, and the question from the layout', () => {
    expect(placeStroke(stroke(1, 'PEN-9'), where)).toEqual({ studentId: 's7', assignmentId: assignment.id, page: 1, questionId: 'q2', startedAt: 5, endedAt: 9 });
    expect(placeStroke(stroke(2, 'PEN-9'), where)).toMatchObject({ studentId: 's9', page: 1 });
    expect(placeStroke(stroke(2, 'PEN-?'), where)).toBeNull();
    expect(placeStroke(stroke(1, 'TEACHER'), where)).toBeNull();
    expect(placeStroke(stroke(5, 'PEN-9'), where)).toBeNull();
  });
});
