import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../homework/assignments/types.js';
import { assignmentBurden } from './assignment-burden.js';
import { burdenDistribution } from './distribution.js';
import { homeworkLimitMinutes } from './limits.js';
import { timeOnTask } from './time-on-task.js';

const MIN = 60_000;
const stroke = (startedAt: number, ms = 1_000) => ({ startedAt, endedAt: startedAt + ms });

describe('time on task', () => {
  it('counts stroke time plus short gaps as active, and cuts long breaks out of the elapsed time', () => {
    const t = timeOnTask([stroke(0), stroke(3_000), stroke(60_000), stroke(60_000 + 20 * MIN)])!;
    // 4 s of strokes + one 2 s gap; the 56 s gap is thinking (elapsed, not active); 20 min is a break.
    expect(t.activeMs).toBe(6_000);
    expect(t.breaks).toEqual([{ startedAt: 61_000, endedAt: 60_000 + 20 * MIN }]);
    expect(t.elapsedMs).toBe(60_000 + 20 * MIN + 1_000 - (20 * MIN - 1_000));
    expect(timeOnTask([])).toBeNull();
  });

  it('takes strokes in any order and counts overlapping ones once', () => {
    expect(timeOnTask([stroke(10_000), stroke(0, 2_000), stroke(1_000, 2_000)])!.activeMs).toBe(4_000);
  });
});

describe('homework limits (2021 double reduction)', () => {
  it('has none for grades 1–2, 60 min for 3–6, 90 min for 7–9, no limit set for 10–12', () => {
    expect([1, 2, 3, 6, 7, 9, 10, 12].map(homeworkLimitMinutes)).toEqual([0, 0, 60, 60, 90, 90, null, null]);
  });
});

describe('class distribution', () => {
  it('gives count, p50, p90, max, mean, the share over the limit and 10-minute bins', () => {
    const d = burdenDistribution([25, 35, 45, 55, 65, 75], 60);
    expect(d).toMatchObject({ count: 6, p50: 50, p90: 70, max: 75, mean: 50, overLimitShare: 2 / 6 });
    expect(d.histogram.map((b) => b.count)).toEqual([0, 0, 1, 1, 1, 1, 1, 1]);
    expect(d.histogram[2]).toEqual({ fromMinutes: 20, toMinutes: 30, count: 1 });
    expect(burdenDistribution([], 60)).toMatchObject({ count: 0, p50: null, overLimitShare: null, histogram: [] });
  });
});

describe('assignment burden', () => {
  it('reports each student against the limit for the assignment’s grade', () => {
    const assignment = { id: 'a', title: 'A', subject: 'Maths', grade: 5, pages: [] } as Assignment;
    const burden = assignmentBurden(
      assignment,
      new Map([
        ['s10', Array.from({ length: 8 }, (_, i) => stroke(i * 10 * MIN))],
        ['s2', [stroke(0), stroke(30 * MIN)]],
      ]),
    );
    expect(burden.limitMinutes).toBe(60);
    expect(burden.students.map((s) => [s.studentId, s.overLimit])).toEqual([['s2', false], ['s10', true]]);
    expect(burden.students[0]).toMatchObject({ elapsedMinutes: 0, breaks: [{ startedAt: 1_000, minutes: 30 }] });
    expect(burden.distribution.count).toBe(2);
  });
});
