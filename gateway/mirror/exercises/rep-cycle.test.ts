import { beforeAll, describe, expect, it } from 'vitest';
import { ExerciseCounter } from './counter.js';
import { KEYPOINT_NAMES, type Pose } from './keypoints.js';
import { loadExercises } from './load-exercises.js';
import { REST } from './synth/motions.js';
import { skeleton } from './synth/skeleton.js';
import type { Exercise } from './types.js';

let squat: Exercise;
beforeAll(async () => {
  squat = (await loadExercises()).exercises.get('squat')!;
});

/** Poses at 20 fps whose knee angles are exactly the given ones (both knees). */
function kneeAngles(angles: number[]): Pose[] {
  return angles.map((angle, i) => {
    const limb = { ...REST, kneeBend: 180 - angle };
    const points = skeleton({ left: limb, right: limb });
    return { keypoints: KEYPOINT_NAMES.map((name) => ({ ...points[name], score: 0.9 })), score: 0.9, t: i * 50 };
  });
}

const ramp = (from: number, to: number, frames = 10) => Array.from({ length: frames }, (_, i) => from + ((to - from) * (i + 1)) / frames);
/** A knee angle flickering across `around` every frame, as a jittery keypoint makes it. */
const flicker = (around: number, by: number, frames = 40) => Array.from({ length: frames }, (_, i) => around + (i % 2 ? by : -by));

function counterFor(exercise: Exercise, angles: number[]): ExerciseCounter {
  const counter = new ExerciseCounter(exercise);
  for (const pose of kneeAngles(angles)) counter.feed(pose);
  return counter;
}

const count = (exercise: Exercise, angles: number[]) => counterFor(exercise, angles).count;

describe('hysteresis (squat: up ≥ 160°, down ≤ 135°)', () => {
  it('counts one rep when the knee flickers across the "down" threshold at the bottom', () => {
    expect(count(squat, [180, ...ramp(180, 135), ...flicker(135, 4), ...ramp(135, 180)])).toBe(1);
  });

  it('counts one rep when the knee flickers across the "up" threshold on the way up', () => {
    expect(count(squat, [180, ...ramp(180, 95), ...ramp(95, 160), ...flicker(160, 4), ...ramp(160, 180)])).toBe(1);
  });

  it('counts nothing for flicker inside the dead-band between the thresholds', () => {
    expect(count(squat, [180, ...ramp(180, 148), ...flicker(148, 10), ...ramp(148, 180)])).toBe(0);
  });

  it('would double count with one threshold and no dead-band: the flicker is real', () => {
    const noBand: Exercise = {
      ...squat,
      states: [
        { name: 'up', enter: { knee: { min: 135.01 } } },
        { name: 'down', enter: { knee: { max: 135 } } },
      ],
    };
    expect(count(noBand, [180, ...ramp(180, 135), ...flicker(135, 4), ...ramp(135, 180)])).toBeGreaterThan(10);
  });
});

describe('a rep is the declared cycle of states', () => {
  it('needs every state of a longer cycle in order: a squat that stops half way is not a rep', () => {
    const throughMiddle: Exercise = {
      ...squat,
      states: [
        { name: 'up', enter: { knee: { min: 160 } } },
        { name: 'mid', enter: { knee: { min: 110, max: 150 } } },
        { name: 'down', enter: { knee: { max: 100 } } },
      ],
      rep: ['up', 'mid', 'down', 'mid', 'up'],
    };
    const full = [...ramp(180, 90), ...ramp(90, 180)];
    const half = [...ramp(180, 120), ...ramp(120, 180)];
    expect(count(throughMiddle, [180, ...full, ...half, ...half, ...full])).toBe(2);
  });
});

describe('form is judged on the movement, not on one frame', () => {
  it('a single jittery frame at the bottom does not make a shallow squat deep', () => {
    const counter = counterFor(squat, [180, ...ramp(180, 120), 80, ...ramp(120, 180)]);
    expect(counter.count).toBe(1);
    expect(counter.reps[0]!.metrics['knee.min']).toBeCloseTo(120, 6);
    expect(counter.reps[0]!.feedback).toContain('Go lower');
  });
});
