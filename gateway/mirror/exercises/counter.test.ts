import { beforeAll, describe, expect, it } from 'vitest';
import { ExerciseCounter, type CounterEvent } from './counter.js';
import { isPaired, resolveRef, SIDES, type KeypointName, type Pose } from './keypoints.js';
import { loadExercises } from './load-exercises.js';
import { MOTIONS } from './synth/motions.js';
import { performance, type PerformanceOptions } from './synth/performance.js';
import type { Exercise } from './types.js';

let exercises: Map<string, Exercise>;
beforeAll(async () => {
  exercises = (await loadExercises()).exercises;
});

function run(id: string, poses: Pose[], exercise = exercises.get(id)!) {
  const counter = new ExerciseCounter(exercise);
  const events: CounterEvent[] = poses.flatMap((p) => counter.feed(p));
  return { counter, events, summary: counter.summary() };
}

const perform = (id: string, options: Partial<PerformanceOptions> = {}) => run(id, performance(id, { reps: 10, fps: 30, ...options }));

/**
 * Per exercise: a depth that passes the state thresholds but misses the range-of-motion target
 * (counted, with that feedback), and one that does not reach the "down"/"up" state (not
 * counted), as the data files declare. `range` is the range rule's feedback.
 */
const SHALLOW: Record<string, { counted: number; notCounted: number; range: string; symmetry: string }> = {
  squat: { counted: 0.75, notCounted: 0.4, range: 'Go lower', symmetry: 'Bend both knees evenly' },
  'jumping-jack': { counted: 0.75, notCounted: 0.45, range: 'Arms all the way up', symmetry: 'Raise both arms evenly' },
  'high-knees': { counted: 0.8, notCounted: 0.6, range: 'Knees higher', symmetry: 'Lift both knees the same' },
  'arm-raise': { counted: 0.85, notCounted: 0.6, range: 'Arms all the way up', symmetry: 'Keep both arms level' },
  lunge: { counted: 0.75, notCounted: 0.4, range: 'Go lower', symmetry: 'Go as deep on both sides' },
};

describe.each(Object.keys(SHALLOW))('%s', (id) => {
  const expected = SHALLOW[id]!;

  it('counts clean reps exactly, each with a full score and no feedback', () => {
    for (const reps of [1, 7, 12]) {
      const { summary, counter } = perform(id, { reps });
      expect(summary.reps).toBe(reps);
      expect(counter.reps.map((r) => r.index)).toEqual(Array.from({ length: reps }, (_, i) => i + 1));
      expect(summary.meanScore).toBe(100);
      expect(summary.feedback).toEqual([]);
    }
  });

  // Tolerances: exact at 30 fps even with heavy losses. At 15 fps a fast movement (a high knee
  // is ~0.35 s past the thresholds) can fall between the usable frames: within ±1, and never more.
  it('counts exactly at 30 fps under jitter σ 0.006 with 10 % of frames and 3 % of keypoints lost (5 seeds)', () => {
    for (const seed of [1, 2, 3, 4, 5]) expect(perform(id, { seed, noise: 0.006, dropFrames: 0.1, lowScore: 0.03 }).summary.reps).toBe(10);
  });

  it('counts exactly at 30 fps under heavy jitter σ 0.012 with 20 % of frames and 5 % of keypoints lost (5 seeds)', () => {
    for (const seed of [1, 2, 3, 4, 5]) expect(perform(id, { seed, noise: 0.012, dropFrames: 0.2, lowScore: 0.05 }).summary.reps).toBe(10);
  });

  it('counts within ±1 (never over) at 15 fps under jitter σ 0.006 with 10 % of frames and 3 % of keypoints lost (10 seeds)', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { reps } = perform(id, { seed, fps: 15, noise: 0.006, dropFrames: 0.1, lowScore: 0.03 }).summary;
      expect(reps).toBeLessThanOrEqual(10);
      expect(reps).toBeGreaterThanOrEqual(9);
    }
  });

  it('counts clean reps exactly at 10 fps (a Raspberry Pi 4)', () => {
    expect(perform(id, { fps: 10 }).summary.reps).toBe(10);
  });

  it('counts shallow reps as declared, with range feedback and a lower score', () => {
    const shallow = perform(id, { depth: expected.counted });
    expect(shallow.summary.reps).toBe(10);
    expect(shallow.summary.mostFrequentFeedback).toBe(expected.range);
    expect(shallow.counter.reps.every((r) => r.feedback.includes(expected.range) && r.score < 100)).toBe(true);
    expect(perform(id, { depth: expected.notCounted }).summary.reps).toBe(0);
    // Deeper is better: the score follows the depth.
    expect(perform(id, { depth: expected.counted + 0.1 }).summary.meanScore!).toBeGreaterThan(shallow.summary.meanScore!);
  });

  it('counts mixed full and too-shallow reps one by one', () => {
    const depth = [1, expected.notCounted, 1, 1, expected.notCounted, 1];
    expect(perform(id, { reps: depth.length, depth }).summary.reps).toBe(4);
  });

  it('gives symmetry feedback when the right side does less', () => {
    const { summary } = perform(id, { asymmetry: 0.25 });
    expect(summary.reps).toBe(10);
    expect(summary.feedback.map((f) => f.text)).toContain(expected.symmetry);
    expect(summary.meanScore!).toBeLessThan(100);
  });

  it('says "Slow down" for reps much faster than the motion', () => {
    const { summary, counter } = perform(id, { repMs: MOTIONS[id]!.repMs * 0.4 });
    expect(summary.reps).toBe(10);
    expect(counter.reps.every((r) => r.feedback.includes('Slow down'))).toBe(true);
    expect(summary.meanScore!).toBeLessThan(100);
  });

  it('holds the count while a needed body part is out of view, asks to step into view, and goes on after', () => {
    const exercise = exercises.get(id)!;
    const part = exercise.visibility.keypoints.at(-1)!;
    const hiddenNames: KeypointName[] = isPaired(part) ? SIDES.map((s) => resolveRef(part, s)) : [part];
    const motion = MOTIONS[id]!;
    const period = motion.repMs + motion.pauseMs;
    const [fromMs, toMs] = [1000 + 2.5 * period, 1000 + 5.5 * period];
    const { summary, events } = perform(id, { hidden: [{ keypoints: hiddenNames, fromMs, toMs }] });
    // A rep that overlaps the window is not counted: not even the one under way when the part went missing.
    const repStarts = Array.from({ length: 10 }, (_, k) => 1000 + k * period);
    expect(summary.reps).toBe(repStarts.filter((start) => start + motion.repMs <= fromMs || start >= toMs).length);
    const visibility = events.filter((e) => e.type === 'visibility');
    expect(visibility).toHaveLength(2);
    expect(visibility[0]).toMatchObject({ visible: false, missing: hiddenNames, message: 'Step into view' });
    expect(visibility[0]!.t).toBeGreaterThanOrEqual(fromMs + exercise.visibility.lostAfterMs);
    expect(visibility[1]).toMatchObject({ visible: true });
    expect(events.filter((e) => e.t >= fromMs && e.t < toMs && e.type !== 'visibility')).toEqual([]);
  });
});

describe('alternating exercises', () => {
  it('counts each high knee on its own side, alternating left and right', () => {
    const { counter, events } = perform('high-knees', { reps: 6 });
    expect(counter.reps.map((r) => r.side)).toEqual(['left', 'right', 'left', 'right', 'left', 'right']);
    expect(events.some((e) => e.type === 'state' && e.side === 'right' && e.to === 'up')).toBe(true);
  });

  it('counts a left and a right as one rep when the file says pairs', () => {
    const pairs: Exercise = { ...exercises.get('high-knees')!, alternating: { count: 'pairs' } };
    const { counter } = run('high-knees', performance('high-knees', { reps: 9, fps: 30 }), pairs);
    // 9 knee lifts: 4 pairs, the last left lift waits for its right one.
    expect(counter.count).toBe(4);
    expect(counter.reps[0]).toMatchObject({ index: 1, score: 100, feedback: [] });
    expect(counter.reps[0]!.side).toBeUndefined();
    expect(Object.keys(counter.reps[0]!.metrics)).toEqual(expect.arrayContaining(['left.lift.max', 'right.lift.max']));
  });

  it('does not count a squat as side lunges (the other leg must stay straight)', () => {
    expect(run('lunge', performance('squat', { reps: 5, fps: 30 })).summary.reps).toBe(0);
  });

  it('does not need ankles for high knees', () => {
    expect(perform('high-knees', { hidden: [{ keypoints: ['left_ankle', 'right_ankle'] }] }).summary.reps).toBe(10);
  });
});

describe('rep events', () => {
  it('report index, score, feedback, duration and metrics, and the state changes in between', () => {
    const { events } = perform('squat', { reps: 2, depth: [1, 0.75] });
    expect(events.filter((e) => e.type === 'state').map((e) => e.type === 'state' && e.to)).toEqual(['up', 'down', 'up', 'down', 'up']);
    const reps = events.flatMap((e) => (e.type === 'rep' ? [e.rep] : []));
    expect(reps).toHaveLength(2);
    expect(reps[0]).toMatchObject({ index: 1, score: 100, feedback: [] });
    expect(reps[0]!.metrics['knee.min']).toBeCloseTo(90, 0);
    // The raised-cosine rep spends ~69 % of its 2000 ms below the 160° "up" threshold.
    expect(reps[0]!.durationMs).toBeGreaterThan(1250);
    expect(reps[0]!.durationMs).toBeLessThan(1550);
    expect(reps[1]!.metrics['knee.min']).toBeCloseTo(180 - 0.75 * 90, 0);
    expect(reps[1]!.feedback).toEqual(['Go lower']);
  });
});
