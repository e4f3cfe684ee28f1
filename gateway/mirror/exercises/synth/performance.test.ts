import { describe, expect, it } from 'vitest';
import { KEYPOINT_NAMES, keypointIndex, type KeypointName, type Pose } from '../keypoints.js';
import { MOTIONS, REST } from './motions.js';
import { performance } from './performance.js';
import { BODY, skeleton } from './skeleton.js';

const at = (pose: Pose, name: KeypointName) => pose.keypoints[keypointIndex(name)]!;
const angle = (a: { x: number; y: number }, b: { x: number; y: number }, c: { x: number; y: number }) =>
  (Math.acos(((a.x - b.x) * (c.x - b.x) + (a.y - b.y) * (c.y - b.y)) / (Math.hypot(a.x - b.x, a.y - b.y) * Math.hypot(c.x - b.x, c.y - b.y))) * 180) / Math.PI;

describe('skeleton', () => {
  it('bends the knee to 180° − kneeBend and keeps planted feet on the floor', () => {
    const squat = { ...REST, kneeBend: 70 };
    const p = skeleton({ left: squat, right: { ...REST, kneeBend: 40 } });
    expect(angle(p.left_hip, p.left_knee, p.left_ankle)).toBeCloseTo(110, 6);
    expect(angle(p.right_hip, p.right_knee, p.right_ankle)).toBeCloseTo(140, 6);
    expect(p.left_ankle.y).toBeCloseTo(BODY.floorY, 9);
    expect(p.right_ankle.y).toBeCloseTo(BODY.floorY, 9);
    expect(p.left_hip.y).toBeGreaterThan(skeleton({ left: REST, right: REST }).left_hip.y);
  });

  it('puts the person’s left on the image’s right, and a raised knee near hip height', () => {
    const p = skeleton({ left: { ...REST, thighLift: 90 }, right: REST });
    expect(p.left_shoulder.x).toBeGreaterThan(p.right_shoulder.x);
    expect(p.left_knee.y).toBeCloseTo(p.left_hip.y, 9);
    expect(p.right_ankle.y).toBeCloseTo(BODY.floorY, 9);
  });
});

describe('performance', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const options = { reps: 3, noise: 0.01, dropFrames: 0.1, lowScore: 0.05 };
    expect(performance('squat', { ...options, seed: 7 })).toEqual(performance('squat', { ...options, seed: 7 }));
    expect(performance('squat', { ...options, seed: 8 })).not.toEqual(performance('squat', { ...options, seed: 7 }));
  });

  it('lasts lead-in + reps + pauses + lead-out at the chosen fps', () => {
    const poses = performance('squat', { reps: 4, fps: 10 });
    const { repMs, pauseMs } = MOTIONS['squat']!;
    expect(poses.at(-1)!.t).toBe(1000 + 4 * repMs + 3 * pauseMs + 1000);
    expect(poses[1]!.t - poses[0]!.t).toBe(100);
    expect(poses[0]!.keypoints).toHaveLength(KEYPOINT_NAMES.length);
  });

  it('drops frames, lowers scores and hides keypoints as asked', () => {
    const all = performance('squat', { reps: 5 });
    const dropped = performance('squat', { reps: 5, dropFrames: 0.3 });
    expect(dropped.length / all.length).toBeGreaterThan(0.6);
    expect(dropped.length / all.length).toBeLessThan(0.8);
    const low = performance('squat', { reps: 5, lowScore: 0.2 }).flatMap((p) => p.keypoints).filter((k) => k.score < 0.3).length;
    expect(low / (all.length * 17)).toBeCloseTo(0.2, 1);
    const hidden = performance('squat', { reps: 5, hidden: [{ keypoints: ['left_ankle'], fromMs: 2000, toMs: 3000 }] });
    expect(hidden.filter((p) => at(p, 'left_ankle').score < 0.3).map((p) => p.t)).toEqual(all.filter((p) => p.t >= 2000 && p.t < 3000).map((p) => p.t));
  });

  it('reaches the asked depth, less on the right with asymmetry', () => {
    const deepest = (poses: Pose[], side: 'left' | 'right') =>
      Math.min(...poses.map((p) => angle(at(p, `${side}_hip`), at(p, `${side}_knee`), at(p, `${side}_ankle`))));
    const poses = performance('squat', { reps: 1, depth: 0.5, asymmetry: 0.2, fps: 100 });
    expect(deepest(poses, 'left')).toBeCloseTo(180 - 45, 0);
    expect(deepest(poses, 'right')).toBeCloseTo(180 - 36, 0);
  });

  it('names an unknown exercise and the motions it knows', () => {
    expect(() => performance('burpee', { reps: 1 })).toThrow(/no motion for "burpee"; known: squat, /);
  });
});
