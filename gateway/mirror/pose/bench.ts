import sharp from 'sharp';
import { percentile } from '../../util/percentile.js';
import type { PoseEstimator, StageTimings } from './pose-estimator.js';

export interface Percentiles {
  p50: number;
  p95: number;
}

export interface PoseLoopReport {
  frames: number;
  /** Frames per second through `estimate`, back to back (what one thread sustains). */
  fps: number;
  /** Process CPU time per frame over wall time per frame: about 1 means one core's worth. */
  cores: number;
  stages: { [K in keyof StageTimings]: Percentiles };
  outcomes: { pose: number; none: number; error: number };
  /** Recorded because sharp's thread pool is global: a figure means little without it. */
  sharpConcurrency: number;
}

function percentiles(values: number[]): Percentiles {
  return { p50: percentile(values, 50), p95: percentile(values, 95) };
}

/**
 * Runs `iterations` frames (cycling through `frames`, 33 ms apart in pose time) through the
 * estimator after `warmup` untimed ones, and reports per-stage p50/p95. For the benchmark
 * script: call `sharp.concurrency(1)` first to measure on one thread.
 */
export async function measurePoseLoop(estimator: PoseEstimator, frames: readonly Buffer[], iterations: number, warmup = 10): Promise<PoseLoopReport> {
  if (!frames.length) throw new Error('measurePoseLoop: no frames');
  const samples: { [K in keyof StageTimings]: number[] } = { decodeMs: [], preprocessMs: [], modelMs: [], postMs: [], totalMs: [] };
  const outcomes = { pose: 0, none: 0, error: 0 };
  for (let i = 0; i < warmup; i++) await estimator.estimate(frames[i % frames.length]!, i * 33);
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < iterations; i++) {
    const result = await estimator.estimate(frames[i % frames.length]!, (warmup + i) * 33);
    outcomes[result.kind]++;
    for (const key of Object.keys(samples) as (keyof StageTimings)[]) samples[key].push(result.timings[key]);
  }
  const seconds = (performance.now() - start) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  return {
    frames: iterations,
    fps: iterations / seconds,
    cores: (user + system) / 1e6 / seconds,
    stages: {
      decodeMs: percentiles(samples.decodeMs),
      preprocessMs: percentiles(samples.preprocessMs),
      modelMs: percentiles(samples.modelMs),
      postMs: percentiles(samples.postMs),
      totalMs: percentiles(samples.totalMs),
    },
    outcomes,
    sharpConcurrency: sharp.concurrency(),
  };
}
