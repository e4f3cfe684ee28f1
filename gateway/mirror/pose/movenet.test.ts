import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYPOINT_NAMES, type KeypointName, type Pose } from '../exercises/index.js';
import { PoseEstimator, createPoseEstimator, type PoseResult } from './index.js';
import type { Movenet } from '../../../models/movenet/movenet.js';

/** The real model on real pictures, whole frames in: the tracker has to find the person itself. */
const ASSETS = fileURLToPath(new URL('../../../node_modules/@vladmandic/human/assets/', import.meta.url));

interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

let model: Movenet;
beforeAll(async () => {
  ({ model } = await createPoseEstimator());
});
afterAll(async () => {
  await model?.release();
});

/** Each scene gets its own estimator (tracker and filters), sharing the loaded model. */
async function run(jpeg: Buffer, frames: number, estimator = new PoseEstimator(model)): Promise<PoseResult[]> {
  const results: PoseResult[] = [];
  for (let i = 0; i < frames; i++) results.push(await estimator.estimate(jpeg, i * 33));
  return results;
}

/** Head above shoulders above hips above knees above ankles, all sure points inside the person's box. */
function expectPlausible(pose: Pose, width: number, height: number, box: Box): void {
  const k = (name: KeypointName) => pose.keypoints[KEYPOINT_NAMES.indexOf(name)]!;
  const y = (part: string) => ((k(`left_${part}` as KeypointName).y + k(`right_${part}` as KeypointName).y) / 2) * height;
  const order = [k('nose').y * height, y('shoulder'), y('hip'), y('knee'), y('ankle')];
  for (let i = 1; i < order.length; i++) expect(order[i], `body part ${i} below part ${i - 1}`).toBeGreaterThan(order[i - 1]!);
  const sure = pose.keypoints.filter((p) => p.score >= 0.3);
  expect(sure.length).toBeGreaterThanOrEqual(10);
  for (const p of sure) {
    expect(p.x * width).toBeGreaterThanOrEqual(box.x0);
    expect(p.x * width).toBeLessThanOrEqual(box.x1);
    expect(p.y * height).toBeGreaterThanOrEqual(box.y0);
    expect(p.y * height).toBeLessThanOrEqual(box.y1);
  }
}

/** The crop, in pixels, holds the person's box and is centred within it horizontally. */
function expectCropOnPerson(result: PoseResult, width: number, height: number, box: Box): void {
  if (result.kind === 'error') throw new Error(result.error);
  const c = result.crop;
  const [x0, y0, x1, y1] = [c.xMin * width, c.yMin * height, (c.xMin + c.width) * width, (c.yMin + c.height) * height];
  expect(x0).toBeLessThanOrEqual(box.x0);
  expect(x1).toBeGreaterThanOrEqual(box.x1);
  expect(y0).toBeLessThanOrEqual(box.y0);
  expect(y1).toBeGreaterThanOrEqual(box.y1);
  expect((x0 + x1) / 2).toBeGreaterThan(box.x0);
  expect((x0 + x1) / 2).toBeLessThan(box.x1);
}

describe('MoveNet through PoseEstimator', () => {
  it('finds the standing figure at the left of the VRM screenshot and tracks onto her', async () => {
    const jpeg = await sharp(`${ASSETS}screenshot-vrm.jpg`).toBuffer();
    const person: Box = { x0: 60, x1: 260, y0: 20, y1: 640 };
    const results = await run(jpeg, 6);
    expect(results.map((r) => r.kind)).toEqual(new Array(6).fill('pose'));
    // The first crop is the centred square (centre x 400, off her); the tracker moves onto her.
    expect(results[0]).toMatchObject({ crop: { xMin: (800 - 653) / 2 / 800 } });
    const last = results.at(-1)!;
    if (last.kind !== 'pose') throw new Error(last.kind);
    expectCropOnPerson(last, 800, 653, person);
    expectPlausible(last.pose, 800, 653, person);
    expectPlausible(last.raw, 800, 653, person);
  });

  it('finds her in a 640×480 camera frame, and in a wide frame outside the first, centred guess', async () => {
    const camera = await sharp(`${ASSETS}screenshot-vrm.jpg`).resize(640, 480, { fit: 'contain', background: '#000' }).jpeg().toBuffer();
    const atCamera = (await run(camera, 5)).at(-1)!;
    if (atCamera.kind !== 'pose') throw new Error(atCamera.kind);
    expectPlausible(atCamera.pose, 640, 480, { x0: 70, x1: 217, y0: 15, y1: 470 });

    // 1280×480 with the figure at x 10–253: the centred 480 px square sees nobody, so the next
    // frame must search the whole (padded) frame and the tracker take over from there.
    const figure = await sharp(`${ASSETS}screenshot-vrm.jpg`).extract({ left: 0, top: 0, width: 330, height: 653 }).resize({ height: 480 }).toBuffer();
    const wide = await sharp({ create: { width: 1280, height: 480, channels: 3, background: '#000' } }).composite([{ input: figure, left: 10, top: 0 }]).jpeg().toBuffer();
    const results = await run(wide, 5);
    expect(results[0]).toMatchObject({ kind: 'none', reason: 'no-person' });
    expect(results.slice(2).map((r) => r.kind)).toEqual(['pose', 'pose', 'pose']);
    const last = results.at(-1)!;
    if (last.kind !== 'pose') throw new Error(last.kind);
    const box = { x0: 40, x1: 200, y0: 15, y1: 470 };
    expectCropOnPerson(last, 1280, 480, box);
    expectPlausible(last.pose, 1280, 480, box);
  });

  // The full-body thumbnails on the top row of samples.jpg (1280×1158): tile, person inside it.
  const thumbnails: { name: string; tile: { left: number; width: number }; person: Box }[] = [
    { name: 'figure in a white dress', tile: { left: 0, width: 158 }, person: { x0: 20, x1: 135, y0: 0, y1: 158 } },
    { name: 'woman in a red skirt', tile: { left: 545, width: 89 }, person: { x0: 15, x1: 85, y0: 5, y1: 158 } },
    { name: 'woman on a bar stool', tile: { left: 797, width: 106 }, person: { x0: 10, x1: 75, y0: 10, y1: 158 } },
  ];
  for (const { name, tile, person } of thumbnails) {
    it(`finds the ${name} in its samples.jpg thumbnail`, async () => {
      const jpeg = await sharp(`${ASSETS}samples.jpg`).extract({ left: tile.left, top: 0, width: tile.width, height: 158 }).jpeg({ quality: 90 }).toBuffer();
      const last = (await run(jpeg, 5)).at(-1)!;
      if (last.kind !== 'pose') throw new Error(last.kind === 'error' ? last.error : last.reason);
      expectPlausible(last.pose, tile.width, 158, person);
    });
  }

  it('reports nobody in an empty or noisy frame', async () => {
    const grey = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#808080' } }).jpeg().toBuffer();
    const noise = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).jpeg().toBuffer();
    for (const jpeg of [grey, noise]) {
      for (const result of await run(jpeg, 3)) expect(result).toMatchObject({ kind: 'none', reason: 'no-person' });
    }
  });

  it('gets through a corrupt frame in the middle of tracking without losing the person', async () => {
    const jpeg = await sharp(`${ASSETS}screenshot-vrm.jpg`).toBuffer();
    const person: Box = { x0: 60, x1: 260, y0: 20, y1: 640 };
    const estimator = new PoseEstimator(model);
    await run(jpeg, 3, estimator);
    const corrupt = Buffer.concat([jpeg.subarray(0, 2000), Buffer.alloc(3000, 0x55)]);
    const broken = await estimator.estimate(corrupt, 100);
    expect(broken.kind).toBe('error');
    const next = await estimator.estimate(jpeg, 133);
    if (next.kind !== 'pose') throw new Error(next.kind);
    expectCropOnPerson(next, 800, 653, person);
    expectPlausible(next.pose, 800, 653, person);
  });
});
