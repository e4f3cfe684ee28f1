import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExerciseCounter } from './counter.js';
import { loadExercises } from './load-exercises.js';
import { performance } from './synth/performance.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exercises-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const write = (name: string, content: unknown) => writeFile(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));

/** What a PE teacher adds without any code: arms out sideways to shoulder height and down. */
const tRaise = {
  id: 't-raise',
  name: 'T raise',
  visibility: { keypoints: ['shoulder', 'hip', 'wrist'] },
  measures: { arms: { kind: 'height', of: 'wrist', above: 'shoulder' } },
  states: [
    { name: 'down', enter: { arms: { max: -0.8 } } },
    { name: 'up', enter: { arms: { min: -0.4 } } },
  ],
  rep: ['down', 'up', 'down'],
  form: [
    { kind: 'range', measure: 'arms', target: { min: -0.15 }, tolerance: 0.5, weight: 1, feedback: 'Arms up to shoulder height' },
    { kind: 'tempo', minMs: 1000, maxMs: 8000, toleranceMs: 800, weight: 1, tooFast: 'Slow down', tooSlow: 'Keep going' },
  ],
};

describe('loading exercises', () => {
  it('has the five built-in exercises, all valid', async () => {
    const loaded = await loadExercises();
    expect([...loaded.exercises.keys()].sort()).toEqual(['arm-raise', 'high-knees', 'jumping-jack', 'lunge', 'squat']);
    expect(loaded.errors).toEqual([]);
    expect(loaded.warnings).toEqual([]);
  });

  it('is fine without the school folder', async () => {
    const loaded = await loadExercises({ extraDir: join(dir, 'missing') });
    expect(loaded.exercises.size).toBe(5);
    expect(loaded.errors).toEqual([]);
  });

  it("counts with a teacher's new exercise added as a JSON file only", async () => {
    await write('t-raise.json', tRaise);
    const { exercises, errors } = await loadExercises({ extraDir: dir });
    expect(errors).toEqual([]);
    const exercise = exercises.get('t-raise')!;
    const count = (depth: number) => {
      const counter = new ExerciseCounter(exercise);
      for (const pose of performance('t-raise', { motion: 'arm-raise', reps: 6, depth, noise: 0.004, seed: 3 })) counter.feed(pose);
      return counter.summary();
    };
    // Half an overhead raise is arms level with the shoulders.
    expect(count(0.5)).toMatchObject({ reps: 6, meanScore: 100, feedback: [] });
    const low = count(0.42);
    expect(low.reps).toBe(6);
    expect(low.mostFrequentFeedback).toBe('Arms up to shoulder height');
    expect(count(0.3).reps).toBe(0);
  });

  it('skips bad files, naming each problem, and keeps the good ones', async () => {
    await write('a-broken.json', { ...tRaise, id: 'broken', states: [tRaise.states[0], { name: 'up', enter: { arms: { min: 'high' } } }] });
    await write('b-not-json.json', '{ "id": "oops", ');
    await write('c-good.json', tRaise);
    await write('notes.txt', 'not an exercise');
    const { exercises, errors } = await loadExercises({ extraDir: dir });
    expect(exercises.has('t-raise')).toBe(true);
    expect(exercises.has('broken')).toBe(false);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBe(`${join(dir, 'a-broken.json')}: states[1].enter.arms.min must be a number`);
    expect(errors[1]).toMatch(new RegExp(`^${join(dir, 'b-not-json.json')}: is not valid JSON \\(`));
  });

  it('lets a school file replace a built-in, and keeps the first of two school files with one id', async () => {
    await write('a-squat.json', { ...tRaise, id: 'squat', name: 'Our squat' });
    await write('b-t.json', tRaise);
    await write('c-t.json', { ...tRaise, name: 'Another T' });
    const { exercises, warnings } = await loadExercises({ extraDir: dir });
    expect(exercises.get('squat')!.name).toBe('Our squat');
    expect(exercises.get('t-raise')!.name).toBe('T raise');
    expect(warnings).toEqual([
      expect.stringMatching(new RegExp(`^${join(dir, 'a-squat.json')}: replaces the built-in exercise "squat" \\(.*squat\\.json\\)$`)),
      `${join(dir, 'c-t.json')}: the id "t-raise" is already used by ${join(dir, 'b-t.json')}; this file is skipped`,
    ]);
  });
});
