import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMovenet, type Movenet } from '../../../models/movenet/movenet.js';
import { keypointIndex, type KeypointName, type Side } from '../exercises/keypoints.js';
import { MOTIONS, REST } from '../exercises/synth/motions.js';
import { skeleton, type LimbPosture } from '../exercises/synth/skeleton.js';
import { inOrder, toFrame, type Point } from './frame-keypoints.js';
import { movenetOnFrame } from './movenet-frame.js';
import { renderPerson } from './render-person.js';
import { styleFor } from './style.js';
import { DEMO_DEPTH } from './timeline.js';

const W = 640;
const H = 480;
/** Keypoint distance, in frame heights (x scaled to the same units); measured worst 0.052 (a wrist). */
const MAX_ERROR = 0.06;
const MIN_SCORE = 0.3;
const MAX_ANGLE_ERROR = 15;
/**
 * Knee height above the hip, in torso lengths (the high-knees measure). Two keypoint errors over a
 * torso of 0.22 H add up quickly: 0.4 torso is under 0.09 H; measured worst 0.37 (standing leg).
 */
const MAX_LIFT_ERROR = 0.4;
const CHECKED = ['shoulder', 'elbow', 'wrist', 'hip', 'knee', 'ankle'].flatMap((part) => (['left', 'right'] as const).map((s) => `${s}_${part}` as KeypointName));
/** Standing, half way and the deepest point of a rep; alternating exercises move the left side. */
const PHASES = [0, 0.5, 1];
/** Dark skin in blue, medium in yellow, light in red. */
const SEEDS = [4, 6, 9];
/**
 * The known gap: a knee lifted straight at the camera (high knees, deepest point) is found only
 * roughly — the thigh is seen end-on and MoveNet pulls the knee down towards a standing leg's.
 * Its own, looser bounds keep it from getting worse; see README.
 */
const LIFTED_KNEE = { exercise: 'high-knees', phase: 1, name: 'left_knee', maxError: 0.12, minScore: 0.15, maxLiftError: 0.55 };

let movenet: Movenet;
beforeAll(async () => {
  movenet = await createMovenet({ threads: 1 });
});
afterAll(() => movenet.release());

function pose(exercise: string, phase: number): Point[] {
  const motion = MOTIONS[exercise]!;
  const amount = phase * (DEMO_DEPTH[exercise] ?? 1);
  const moved = { ...REST };
  for (const [joint, peak] of Object.entries(motion.peak) as [keyof LimbPosture, number][]) moved[joint] = REST[joint] + (peak - REST[joint]) * amount;
  return toFrame(inOrder(skeleton({ left: moved, right: motion.alternating ? REST : moved })), W, H);
}

/** In square units, as the exercise measures see the body. */
const at = (points: readonly Point[], name: KeypointName) => {
  const p = points[keypointIndex(name)]!;
  return { x: (p.x * W) / H, y: p.y };
};
const angle = (a: Point, b: Point, c: Point) => {
  const cos = ((a.x - b.x) * (c.x - b.x) + (a.y - b.y) * (c.y - b.y)) / (Math.hypot(a.x - b.x, a.y - b.y) * Math.hypot(c.x - b.x, c.y - b.y));
  return (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI;
};
const torso = (k: readonly Point[], s: Side) => Math.hypot(at(k, `${s}_shoulder`).x - at(k, `${s}_hip`).x, at(k, `${s}_shoulder`).y - at(k, `${s}_hip`).y);

/** The measures each exercise counts with (as in its data file), per side. */
const MEASURES: Record<string, { unit: 'deg' | 'torso'; value: (k: readonly Point[], s: Side) => number }> = {
  squat: { unit: 'deg', value: (k, s) => angle(at(k, `${s}_hip`), at(k, `${s}_knee`), at(k, `${s}_ankle`)) },
  lunge: { unit: 'deg', value: (k, s) => angle(at(k, `${s}_hip`), at(k, `${s}_knee`), at(k, `${s}_ankle`)) },
  'arm-raise': { unit: 'deg', value: (k, s) => angle(at(k, `${s}_hip`), at(k, `${s}_shoulder`), at(k, `${s}_wrist`)) },
  'jumping-jack': { unit: 'deg', value: (k, s) => angle(at(k, `${s}_hip`), at(k, `${s}_shoulder`), at(k, `${s}_wrist`)) },
  'high-knees': { unit: 'torso', value: (k, s) => (at(k, `${s}_hip`).y - at(k, `${s}_knee`).y) / torso(k, s) },
};

describe.each(Object.keys(MEASURES))('renderPerson: MoveNet finds the drawn %s', (exercise) => {
  it('keypoints, scores and the counted measure, standing to deepest, for three students', async () => {
    const worst = { error: 0, errorAt: '', score: 1, scoreAt: '', measure: 0, measureAt: '' };
    for (const seed of SEEDS) {
      for (const phase of PHASES) {
        const drawn = pose(exercise, phase);
        const jpeg = await renderPerson(drawn, { width: W, height: H, style: styleFor(seed) });
        const seen = await movenetOnFrame(movenet, jpeg);
        const where = `seed ${seed} phase ${phase}`;
        const gap = exercise === LIFTED_KNEE.exercise && phase === LIFTED_KNEE.phase;
        for (const name of CHECKED) {
          const d = at(drawn, name);
          const s = at(seen, name);
          const error = Math.hypot(d.x - s.x, d.y - s.y);
          const score = seen[keypointIndex(name)]!.score;
          if (gap && name === LIFTED_KNEE.name) {
            console.log(`high-knees lifted knee (seed ${seed}): error ${error.toFixed(3)} H, score ${score.toFixed(2)}`);
            expect(error).toBeLessThanOrEqual(LIFTED_KNEE.maxError);
            expect(score).toBeGreaterThanOrEqual(LIFTED_KNEE.minScore);
            continue;
          }
          if (error > worst.error) Object.assign(worst, { error, errorAt: `${name} (${where})` });
          if (score < worst.score) Object.assign(worst, { score, scoreAt: `${name} (${where})` });
        }
        for (const side of ['left', 'right'] as const) {
          const error = Math.abs(MEASURES[exercise]!.value(drawn, side) - MEASURES[exercise]!.value(seen, side));
          if (gap && side === 'left') expect(error).toBeLessThanOrEqual(LIFTED_KNEE.maxLiftError);
          else if (error > worst.measure) Object.assign(worst, { measure: error, measureAt: `${side} (${where})` });
        }
      }
    }
    console.log(`${exercise}: max keypoint error ${worst.error.toFixed(3)} H at ${worst.errorAt}; min score ${worst.score.toFixed(2)} at ${worst.scoreAt}; max measure error ${worst.measure.toFixed(MEASURES[exercise]!.unit === 'deg' ? 1 : 3)} ${MEASURES[exercise]!.unit} at ${worst.measureAt}`);
    expect(worst.error).toBeLessThanOrEqual(MAX_ERROR);
    expect(worst.score).toBeGreaterThanOrEqual(MIN_SCORE);
    expect(worst.measure).toBeLessThanOrEqual(MEASURES[exercise]!.unit === 'deg' ? MAX_ANGLE_ERROR : MAX_LIFT_ERROR);
  });
});
