import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { KEYPOINT_NAMES } from '../exercises/index.js';
import { PoseEstimator } from './pose-estimator.js';
import type { PoseModel } from './pose-model.js';

/** A model that answers with whatever the test sets, and remembers what it was shown. */
class FakeModel implements PoseModel {
  readonly inputSize = 192;
  output = new Float32Array(KEYPOINT_NAMES.length * 3);
  seen: Uint8Array[] = [];
  failWith: Error | null = null;

  /** Every keypoint at (y, x) in the crop with `score`. */
  answer(y: number, x: number, score: number): void {
    for (let i = 0; i < KEYPOINT_NAMES.length; i++) this.output.set([y, x, score], i * 3);
  }

  async infer(rgb: Uint8Array): Promise<Float32Array> {
    this.seen.push(rgb.slice());
    if (this.failWith) throw this.failWith;
    return this.output;
  }

  async release(): Promise<void> {}
}

let jpeg: Buffer;
beforeAll(async () => {
  jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#406080' } }).jpeg().toBuffer();
});

describe('PoseEstimator', () => {
  it('publishes a smoothed pose with per-stage timings when the model is sure', async () => {
    const model = new FakeModel();
    const estimator = new PoseEstimator(model);
    model.answer(0.5, 0.5, 0.9);
    const first = await estimator.estimate(jpeg, 1000);
    expect(first.kind).toBe('pose');
    if (first.kind !== 'pose') return;
    // The first frame's crop is the centred square; the crop centre is the frame centre.
    expect(first.crop).toEqual({ xMin: 0.125, yMin: 0, width: 0.75, height: 1 });
    expect(first.pose.keypoints).toHaveLength(17);
    expect(first.pose.keypoints[0]).toEqual({ x: 0.5, y: 0.5, score: expect.closeTo(0.9, 6) });
    expect(first.pose.score).toBeCloseTo(0.9, 6);
    expect(first.pose.t).toBe(1000);
    for (const ms of Object.values(first.timings)) expect(ms).toBeGreaterThanOrEqual(0);
    expect(first.timings.totalMs).toBeGreaterThanOrEqual(first.timings.decodeMs + first.timings.modelMs);
    // The model saw the frame's colour, not an empty buffer.
    expect([...model.seen[0]!.subarray(0, 3)]).toEqual([expect.closeTo(0x40, -1), expect.closeTo(0x60, -1), expect.closeTo(0x80, -1)]);
    // A jump in the raw pose is softened in the published one.
    model.answer(0.5, 0.6, 0.9);
    const second = await estimator.estimate(jpeg, 1033);
    if (second.kind !== 'pose') throw new Error(second.kind);
    const rawX = second.raw.keypoints[0]!.x;
    expect(second.pose.keypoints[0]!.x).toBeGreaterThan(0.5);
    expect(second.pose.keypoints[0]!.x).toBeLessThan(rawX);
  });

  it('says no-person below the pose score, low-confidence with too few sure keypoints', async () => {
    const model = new FakeModel();
    const estimator = new PoseEstimator(model);
    model.answer(0.5, 0.5, 0.1);
    const nobody = await estimator.estimate(jpeg, 0);
    expect(nobody.kind === 'none' && nobody.reason).toBe('no-person');
    // Tracking lost: the next frame is searched whole, padded to a square.
    model.answer(0.5, 0.5, 0.9);
    for (let i = 0; i < 4; i++) model.output[i * 3 + 2] = 0.25;
    for (let i = 4; i < 17; i++) model.output[i * 3 + 2] = 0.1;
    const unsure = await estimator.estimate(jpeg, 33);
    expect(unsure.kind === 'none' && unsure.reason).toBe('low-confidence');
    expect(unsure.kind === 'none' && unsure.crop).toEqual({ xMin: 0, yMin: -1 / 6, width: 1, height: 4 / 3 });
  });

  it('reports keypoints the model placed outside the frame at score 0', async () => {
    const model = new FakeModel();
    const estimator = new PoseEstimator(model);
    model.answer(0.5, 0.5, 0.9);
    model.output.set([-0.05, 0.5, 0.9], 0); // the nose above the centred crop, so above the frame
    const result = await estimator.estimate(jpeg, 0);
    if (result.kind !== 'pose') throw new Error(result.kind);
    expect(result.raw.keypoints[0]!.score).toBe(0);
    expect(result.pose.keypoints[0]!.score).toBe(0);
    expect(result.raw.keypoints[1]!.score).toBeCloseTo(0.9, 6);
  });

  it('turns corrupt frames and model failures into error results and carries on', async () => {
    const model = new FakeModel();
    const estimator = new PoseEstimator(model);
    model.answer(0.5, 0.5, 0.9);
    const bad = [Buffer.alloc(0), Buffer.from('not a jpeg at all'), jpeg.subarray(0, jpeg.length >> 1), Buffer.concat([jpeg.subarray(0, 700), Buffer.alloc(4000, 0xff)])];
    for (const [i, frame] of bad.entries()) {
      const result = await estimator.estimate(frame, i * 33);
      expect(result.kind, `frame ${i}`).toBe('error');
      expect(result.kind === 'error' && result.error).toMatch(new RegExp(`^pose frame at t=${i * 33}: .+`));
    }
    expect(model.seen).toHaveLength(0);
    model.failWith = new Error('session gone');
    expect(await estimator.estimate(jpeg, 200)).toMatchObject({ kind: 'error', error: 'pose frame at t=200: session gone' });
    model.failWith = null;
    expect((await estimator.estimate(jpeg, 233)).kind).toBe('pose');
  });

  it('handles overlapping calls one frame at a time, in order', async () => {
    const model = new FakeModel();
    const estimator = new PoseEstimator(model);
    model.answer(0.5, 0.5, 0.9);
    const results = await Promise.all([0, 33, 66].map((t) => estimator.estimate(jpeg, t)));
    expect(results.map((r) => (r.kind === 'pose' ? r.pose.t : r.kind))).toEqual([0, 33, 66]);
  });
});
