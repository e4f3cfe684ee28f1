import { afterEach, describe, expect, it } from 'vitest';
import { CheckinsToday } from './checkins-today.js';

/** A local wall-clock time (the mirror's day is the school's day, not UTC's). */
const local = (day: number, hour: number, minute = 0) => new Date(2026, 11, day, hour, minute).getTime();

describe("a mirror's check-ins today", () => {
  const tz = process.env.TZ;
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it('lists each student once, at their first check-in, with their repetitions counted', () => {
    const today = new CheckinsToday();
    expect(today.list(local(2, 8))).toEqual([]);
    today.checkedIn('s01', 'Ana Li', local(2, 9));
    today.checkedIn('s02', 'Ben Wu', local(2, 9, 5));
    today.counted('s01', local(2, 9, 1));
    today.counted('s01', local(2, 9, 2));
    today.counted('s02', local(2, 9, 6));
    // Ana again later: still one entry, the first time kept, the count carried on.
    today.checkedIn('s01', 'Ana Li', local(2, 11));
    today.counted('s01', local(2, 11, 1));
    // A repetition of someone who never checked in (anonymous play is not listed) changes nothing.
    today.counted('s99', local(2, 11, 2));
    expect(today.list(local(2, 12))).toEqual([
      { studentId: 's01', name: 'Ana Li', at: new Date(local(2, 9)).toISOString(), reps: 3 },
      { studentId: 's02', name: 'Ben Wu', at: new Date(local(2, 9, 5)).toISOString(), reps: 1 },
    ]);
  });

  it('hands out copies: a caller changing the list changes nothing here', () => {
    const today = new CheckinsToday();
    today.checkedIn('s01', 'Ana Li', local(2, 9));
    const list = today.list(local(2, 9));
    list[0]!.reps = 42;
    list.pop();
    expect(today.list(local(2, 9))).toEqual([expect.objectContaining({ studentId: 's01', reps: 0 })]);
  });

  it('starts empty on the next local day, and counts that day afresh', () => {
    const today = new CheckinsToday();
    today.checkedIn('s01', 'Ana Li', local(2, 23, 50));
    today.counted('s01', local(2, 23, 55));
    expect(today.list(local(2, 23, 59))).toHaveLength(1);
    expect(today.list(local(3, 0, 1))).toEqual([]);
    // Yesterday's check-in does not carry a repetition into today.
    today.counted('s01', local(3, 8));
    expect(today.list(local(3, 8))).toEqual([]);
    today.checkedIn('s01', 'Ana Li', local(3, 9));
    today.counted('s01', local(3, 9, 1));
    expect(today.list(local(3, 10))).toEqual([{ studentId: 's01', name: 'Ana Li', at: new Date(local(3, 9)).toISOString(), reps: 1 }]);
  });

  it("rolls over at the school's midnight, not at UTC's", () => {
    process.env.TZ = 'Asia/Shanghai';
    const today = new CheckinsToday();
    // 07:30 and 08:30 in Shanghai on 3 December: across UTC midnight, but one school day.
    today.checkedIn('s01', 'Ana Li', Date.parse('2026-12-02T23:30:00Z'));
    expect(today.list(Date.parse('2026-12-03T00:30:00Z'))).toHaveLength(1);
    // 23:59 local, then 00:01 local on 4 December.
    expect(today.list(Date.parse('2026-12-03T15:59:00Z'))).toHaveLength(1);
    expect(today.list(Date.parse('2026-12-03T16:01:00Z'))).toEqual([]);
  });
});
