import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Keypoint, KeypointName } from './decode.js';
import { ensureMovenetModel } from './locate.js';
import { type Movenet, createMovenet } from './movenet.js';
import { type Region, humanAsset, squareInput } from './test-support/images.js';

/*
 * Standing, full-body, camera-facing people in photos shipped with @vladmandic/human (regions
 * checked by eye). Samples' 5th thumbnail is cut off at the shins and the 6th sits on a stool,
 * so the 4th stands in for them.
 */
const PEOPLE: readonly { name: string; file: string; region: Region }[] = [
  { name: '3D figure (samples.jpg, 1st thumbnail)', file: 'samples.jpg', region: { left: 0, top: 0, width: 158, height: 158 } },
  { name: 'woman (samples.jpg, 4th thumbnail)', file: 'samples.jpg', region: { left: 545, top: 0, width: 88, height: 158 } },
  { name: 'VRM figure (screenshot-vrm.jpg)', file: 'screenshot-vrm.jpg', region: { left: 60, top: 20, width: 200, height: 620 } },
];

let movenet: Movenet;
beforeAll(async () => {
  movenet = await createMovenet({ modelPath: ensureMovenetModel() });
});
afterAll(async () => {
  await movenet?.release();
});

function mean(points: readonly Keypoint[], ...names: KeypointName[]): { y: number; x: number } {
  const picked = points.filter((p) => names.includes(p.name));
  return { y: picked.reduce((s, p) => s + p.y, 0) / picked.length, x: picked.reduce((s, p) => s + p.x, 0) / picked.length };
}

describe('MoveNet on real photos', () => {
  it.each(PEOPLE)('$name: head above shoulders above hips above knees above ankles, sides consistent', async ({ file, region }) => {
    const keypoints = await movenet.estimate(await squareInput(humanAsset(file), region));
    expect(keypoints).toHaveLength(17);
    const score = keypoints.reduce((s, k) => s + k.score, 0) / keypoints.length;
    expect(score).toBeGreaterThan(0.5);

    const head = mean(keypoints, 'nose', 'left_eye', 'right_eye');
    const chain = [head, mean(keypoints, 'left_shoulder', 'right_shoulder'), mean(keypoints, 'left_hip', 'right_hip'), mean(keypoints, 'left_knee', 'right_knee'), mean(keypoints, 'left_ankle', 'right_ankle')];
    for (let i = 1; i < chain.length; i++) expect(chain[i]?.y).toBeGreaterThan(chain[i - 1]?.y ?? Infinity);

    // Facing the camera, the person's left is on the image's right (larger x).
    const x = (name: KeypointName): number => keypoints.find((k) => k.name === name)?.x ?? NaN;
    expect(x('left_shoulder')).toBeGreaterThan(x('right_shoulder'));
    expect(x('left_hip')).toBeGreaterThan(x('right_hip'));
    // The body spans most of the padded square's height.
    expect((chain[4]?.y ?? 0) - head.y).toBeGreaterThan(0.6);
  });
});
