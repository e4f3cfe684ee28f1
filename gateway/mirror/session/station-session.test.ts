import { describe, expect, it } from 'vitest';
import type { MirrorSettings } from '../../settings/types.js';
import { ContractValidator } from '../../contract/validator.js';
import { loadExercises, type Pose } from '../exercises/index.js';
import { performance } from '../exercises/synth/performance.js';
import { StationSession, type StationEvent } from './station-session.js';

const validator = new ContractValidator();
const T0 = Date.parse('2026-12-02T10:00:00Z');
const ana = { studentId: 's01', name: 'Ana', classId: '5b' };
const ben = { studentId: 's02', name: 'Ben', classId: '5b' };

async function station(settings: Partial<MirrorSettings> = {}) {
  const { exercises } = await loadExercises();
  const all: MirrorSettings = { programme: [{ exercise: 'squat', reps: 3 }, { exercise: 'arm-raise', reps: 2 }], allowAnonymous: true, anonymousAfterSeconds: 3, leaveAfterSeconds: 6, restSeconds: 4, cards: [], debugSaveFrames: false, ...settings };
  return new StationSession({ station: 'camera-1', exercises, settings: () => all, aspectRatio: () => 1 });
}

/** Feeds poses (t relative to startT) and then `gapMs` of empty frames at 10 fps; returns the events. */
function play(s: StationSession, poses: Pose[], gapMs = 0): StationEvent[] {
  const events = poses.flatMap((p) => s.feed(p, p.t));
  const last = poses.at(-1)?.t ?? T0;
  for (let t = last + 100; t <= last + gapMs; t += 100) events.push(...s.feed(null, t));
  for (const e of events) validator.assert(e.message && (e.type === 'checkin' ? 'mirror-checkin/1' : e.type === 'rep' ? 'mirror-rep/1' : 'mirror-session/1'), e.message);
  return events;
}

describe('a mirror station', () => {
  it('takes a checked-in student through the programme and sends the summary when they leave', async () => {
    const s = await station();
    const checkin = s.checkIn(ana, 'qr', T0);
    expect(checkin).toEqual([{ type: 'checkin', message: expect.objectContaining({ method: 'qr', studentId: 's01', classId: '5b' }) }]);
    // The same card seen in the next frames is not a new check-in.
    expect(s.checkIn(ana, 'qr', T0 + 100)).toEqual([]);
    const squats = performance('squat', { reps: 3, fps: 15, startT: T0 + 200, seed: 2 });
    const afterSquats = squats.at(-1)!.t;
    const events = play(s, squats);
    expect(events.filter((e) => e.type === 'rep').map((e) => (e.message as { exerciseId: string }).exerciseId)).toEqual(['squat', 'squat', 'squat']);
    expect(s.view(afterSquats + 100)).toMatchObject({ state: 'resting', message: 'Next: Arm raise', exercise: { id: 'arm-raise' } });
    const arms = performance('arm-raise', { reps: 2, fps: 15, startT: afterSquats + 4200, seed: 3 });
    const more = play(s, arms, 7000);
    expect(more.filter((e) => e.type === 'rep')).toHaveLength(2);
    const summary = more.find((e) => e.type === 'session')!.message as { studentId: string; exercises: { exerciseId: string; reps: number; meanScore: number }[] };
    expect(summary.studentId).toBe('s01');
    expect(summary.exercises.map((x) => [x.exerciseId, x.reps])).toEqual([['squat', 3], ['arm-raise', 2]]);
    expect(summary.exercises.every((x) => x.meanScore > 50)).toBe(true);
    expect(s.view(arms.at(-1)!.t + 7000).state).toBe('waiting');
  });

  it('counts someone who just starts moving anonymously, announced at their first repetition', async () => {
    const s = await station();
    const squats = performance('squat', { reps: 2, fps: 15, startT: T0, leadInMs: 3500, seed: 4 });
    const events = play(s, squats, 7000);
    expect(events.map((e) => e.type)).toEqual(['checkin', 'rep', 'rep', 'session']);
    expect(events[0]!.message).toMatchObject({ method: 'anonymous', studentId: null });
    expect(events[3]!.message).toMatchObject({ method: 'anonymous', studentId: null, exercises: [{ exerciseId: 'squat', reps: 2 }] });
  });

  it('says nothing of a passer-by who never exercises, nor of anyone when anonymous play is off', async () => {
    const passerBy = performance('squat', { reps: 0, fps: 15, startT: T0, leadInMs: 5000, leadOutMs: 0 });
    expect(play(await station(), passerBy, 7000)).toEqual([]);
    const squats = performance('squat', { reps: 3, fps: 15, startT: T0, seed: 5 });
    expect(play(await station({ allowAnonymous: false }), squats, 7000)).toEqual([]);
  });

  it('a new check-in ends the previous session, which is summarised as it stood', async () => {
    const s = await station();
    s.checkIn(ana, 'card', T0);
    const squats = performance('squat', { reps: 2, fps: 15, startT: T0 + 100, seed: 6 });
    play(s, squats);
    const events = s.checkIn(ben, 'card', squats.at(-1)!.t + 100);
    expect(events.map((e) => e.type)).toEqual(['session', 'checkin']);
    expect(events[0]!.message).toMatchObject({ studentId: 's01', exercises: [{ exerciseId: 'squat', reps: 2 }] });
    expect(events[1]!.message).toMatchObject({ studentId: 's02', method: 'card' });
    expect(s.view(squats.at(-1)!.t + 200)).toMatchObject({ student: { id: 's02', name: 'Ben' }, reps: 0 });
  });

  it('asks the student to step into view when the exercise cannot see them, and holds the count', async () => {
    const s = await station();
    s.checkIn(ana, 'qr', T0);
    const hidden = performance('squat', { reps: 2, fps: 15, startT: T0 + 100, hidden: [{ keypoints: ['left_ankle', 'right_ankle'] }], seed: 7 });
    expect(play(s, hidden).filter((e) => e.type === 'rep')).toEqual([]);
    expect(s.view(hidden.at(-1)!.t)).toMatchObject({ state: 'exercising', message: 'Step into view', reps: 0 });
  });
});
