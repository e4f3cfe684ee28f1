import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { KEYPOINT_NAMES } from '../exercises/index.js';
import { measurePoseLoop } from './bench.js';
import { PoseEstimator } from './pose-estimator.js';
import type { PoseModel } from './pose-model.js';

describe('measurePoseLoop', () => {
  it('reports per-stage percentiles, throughput and what came out of every frame', async () => {
    // A model that takes 5 ms and sees a person in the middle of the crop.
    const output = new Float32Array(KEYPOINT_NAMES.length * 3).map((_, i) => (i % 3 === 2 ? 0.9 : 0.3 + (i % 7) * 0.05));
    const model: PoseModel = {
      inputSize: 192,
      infer: () => new Promise((resolve) => setTimeout(() => resolve(output), 5)),
      release: async () => {},
    };
    const good = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#345' } }).jpeg().toBuffer();
    const report = await measurePoseLoop(new PoseEstimator(model), [good, Buffer.from('broken')], 20, 2);
    expect(report.frames).toBe(20);
    expect(report.outcomes).toEqual({ pose: 10, none: 0, error: 10 });
    expect(report.stages.modelMs.p50).toBeGreaterThanOrEqual(4);
    expect(report.stages.modelMs.p95).toBeGreaterThanOrEqual(report.stages.modelMs.p50);
    expect(report.stages.totalMs.p95).toBeGreaterThanOrEqual(report.stages.modelMs.p95);
    expect(report.fps).toBeGreaterThan(0);
    expect(report.cores).toBeGreaterThan(0);
    expect(report.fps).toBeLessThan(1000 / 2.5);
    expect(report.sharpConcurrency).toBe(sharp.concurrency());
  });
});
