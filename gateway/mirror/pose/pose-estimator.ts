import { CropTracker, cropToFrame, poseScore, type CropRegion } from './crop-tracker.js';
import { KEYPOINT_NAMES, MOVENET_SCORE_THRESHOLD, type Keypoint, type Pose } from '../exercises/index.js';
import { PoseSmoother, POSE_ONE_EURO, type OneEuroOptions } from './one-euro.js';
import type { PoseModel } from './pose-model.js';
import { CropResampler, decodeJpeg, jpegSize } from './preprocess.js';

/** Milliseconds per stage of one frame; a stage not reached is 0. */
export interface StageTimings {
  decodeMs: number;
  preprocessMs: number;
  modelMs: number;
  postMs: number;
  totalMs: number;
}

export type PoseResult =
  | {
      kind: 'pose';
      /** Smoothed: what exercise counting and the screen should use. */
      pose: Pose;
      /** This frame's model output alone. */
      raw: Pose;
      crop: CropRegion;
      timings: StageTimings;
    }
  | {
      kind: 'none';
      /** 'no-person': the pose score fell below 0.25 and tracking was reset; 'low-confidence':
       *  someone is tracked but too few keypoints are sure enough to count on. */
      reason: 'no-person' | 'low-confidence';
      raw: Pose;
      crop: CropRegion;
      timings: StageTimings;
    }
  | { kind: 'error'; error: string; timings: StageTimings };

export interface PoseEstimatorOptions {
  /** A keypoint counts as seen from this score (MoveNet's recommended 0.3). */
  keypointThreshold?: number;
  /** Fewer seen keypoints than this is 'low-confidence' (5: e.g. head and shoulders). */
  minKeypoints?: number;
  smoothing?: OneEuroOptions;
}

/**
 * One camera frame → one pose. Frames must come from one camera in time order; calls are
 * serialised because each frame's crop depends on the previous frame's pose. Never throws:
 * a bad frame is an 'error' result and the next frame is processed normally.
 */
export class PoseEstimator {
  private readonly tracker = new CropTracker();
  private readonly smoother: PoseSmoother;
  private readonly resampler: CropResampler;
  private readonly keypointThreshold: number;
  private readonly minKeypoints: number;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly model: PoseModel,
    options: PoseEstimatorOptions = {},
  ) {
    this.smoother = new PoseSmoother(KEYPOINT_NAMES.length, options.smoothing ?? POSE_ONE_EURO);
    this.resampler = new CropResampler(model.inputSize);
    this.keypointThreshold = options.keypointThreshold ?? MOVENET_SCORE_THRESHOLD;
    this.minKeypoints = options.minKeypoints ?? 5;
  }

  /** `t`: the frame's capture time in ms (the smoothing is time-based, so it must be real time). */
  estimate(jpeg: Buffer, t: number): Promise<PoseResult> {
    const result = this.queue.then(() => this.run(jpeg, t));
    this.queue = result;
    return result;
  }

  private async run(jpeg: Buffer, t: number): Promise<PoseResult> {
    const timings: StageTimings = { decodeMs: 0, preprocessMs: 0, modelMs: 0, postMs: 0, totalMs: 0 };
    const start = performance.now();
    let mark = start;
    const lap = () => {
      const now = performance.now();
      const ms = now - mark;
      mark = now;
      return ms;
    };
    try {
      const size = jpegSize(jpeg);
      const crop = this.tracker.regionFor(size);
      const frame = await decodeJpeg(jpeg, size, crop.width * size.width, this.model.inputSize);
      timings.decodeMs = lap();
      const rgb = this.resampler.resample(frame, crop);
      timings.preprocessMs = lap();
      const output = await this.model.infer(rgb);
      timings.modelMs = lap();
      if (output.length < KEYPOINT_NAMES.length * 3) throw new Error(`the model returned ${output.length} values, expected ${KEYPOINT_NAMES.length * 3}`);
      // `timings` is shared by reference, so the result's copy is complete once filled in below.
      const result = this.post(cropToFrame(output, crop), crop, t, timings);
      timings.postMs = lap();
      timings.totalMs = mark - start;
      return result;
    } catch (error) {
      timings.totalMs = performance.now() - start;
      return { kind: 'error', error: `pose frame at t=${t}: ${error instanceof Error ? error.message : String(error)}`, timings };
    }
  }

  private post(keypoints: Keypoint[], crop: CropRegion, t: number, timings: StageTimings): PoseResult {
    // The tracker sees the model's keypoints as they are, off-frame ones included: they still say
    // where the body is. Consumers get off-frame keypoints at score 0, since nobody saw them.
    const tracked = this.tracker.update(keypoints);
    const raw: Pose = {
      score: poseScore(keypoints),
      t,
      keypoints: keypoints.map((k) => (k.x >= 0 && k.x <= 1 && k.y >= 0 && k.y <= 1 ? k : { ...k, score: 0 })),
    };
    if (!tracked) {
      this.smoother.reset();
      return { kind: 'none', reason: 'no-person', raw, crop, timings };
    }
    // Smoothed even when not published, so the next published pose continues without a jump.
    const pose = this.smoother.smooth(raw);
    const seen = raw.keypoints.filter((k) => k.score >= this.keypointThreshold).length;
    if (seen < this.minKeypoints) return { kind: 'none', reason: 'low-confidence', raw, crop, timings };
    return { kind: 'pose', pose, raw, crop, timings };
  }
}
