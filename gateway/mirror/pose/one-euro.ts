import type { Pose } from '../exercises/index.js';

/**
 * One Euro filter (Casiez, Roussel, Vogel, CHI 2012): a low-pass whose cutoff rises with the
 * signal's speed, so a still pose stops jittering while a fast movement is followed with little
 * lag. Time-based, so dropped frames and uneven frame intervals are handled by the maths.
 */
export interface OneEuroOptions {
  /** Cutoff (Hz) when still: lower means less jitter, more lag on slow motion. */
  minCutoff: number;
  /** Cutoff increase per unit/s of speed: higher means less lag on fast motion. */
  beta: number;
  /** Cutoff (Hz) for the speed estimate itself. */
  dCutoff: number;
  /** A gap longer than this (s) restarts the filter: the old speed says nothing any more. */
  maxGapS: number;
}

/** Tuned for coordinates normalised to the frame (a whole-frame sweep per second is "fast"). */
export const POSE_ONE_EURO: OneEuroOptions = { minCutoff: 1, beta: 10, dCutoff: 1, maxGapS: 0.5 };

function alpha(dtS: number, cutoffHz: number): number {
  return 1 / (1 + 1 / (2 * Math.PI * cutoffHz * dtS));
}

export class OneEuroFilter {
  private value = 0;
  private speed = 0;
  private lastS = Number.NaN;

  constructor(private readonly options: OneEuroOptions) {}

  reset(): void {
    this.lastS = Number.NaN;
  }

  /** Filters one sample taken at `tS` seconds. */
  filter(sample: number, tS: number): number {
    const dt = tS - this.lastS;
    if (!(dt > 0)) {
      // First sample, a repeated timestamp or time going backwards: nothing to learn a speed from.
      if (Number.isNaN(this.lastS) || dt < 0) this.restart(sample, tS);
      return this.value;
    }
    if (dt > this.options.maxGapS) {
      this.restart(sample, tS);
      return this.value;
    }
    const rawSpeed = (sample - this.value) / dt;
    this.speed += alpha(dt, this.options.dCutoff) * (rawSpeed - this.speed);
    const cutoff = this.options.minCutoff + this.options.beta * Math.abs(this.speed);
    this.value += alpha(dt, cutoff) * (sample - this.value);
    this.lastS = tS;
    return this.value;
  }

  private restart(sample: number, tS: number): void {
    this.value = sample;
    this.speed = 0;
    this.lastS = tS;
  }
}

/** One filter per keypoint coordinate; scores pass through unfiltered so gating stays honest. */
export class PoseSmoother {
  private readonly xs: OneEuroFilter[];
  private readonly ys: OneEuroFilter[];

  constructor(keypointCount: number, options: OneEuroOptions = POSE_ONE_EURO) {
    this.xs = Array.from({ length: keypointCount }, () => new OneEuroFilter(options));
    this.ys = Array.from({ length: keypointCount }, () => new OneEuroFilter(options));
  }

  /** Called when tracking is lost, so the next person does not glide in from the last one. */
  reset(): void {
    for (const f of this.xs) f.reset();
    for (const f of this.ys) f.reset();
  }

  smooth(pose: Pose): Pose {
    const tS = pose.t / 1000;
    return {
      score: pose.score,
      t: pose.t,
      keypoints: pose.keypoints.map((k, i) => ({
        x: this.xs[i]!.filter(k.x, tS),
        y: this.ys[i]!.filter(k.y, tS),
        score: k.score,
      })),
    };
  }
}
