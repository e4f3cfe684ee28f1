import { seeded } from '../../../util/random.js';
import { KEYPOINT_NAMES, SIDES, type KeypointName, type Pose, type Side } from '../keypoints.js';
import { MOTIONS, REST, type Motion } from './motions.js';
import { skeleton, type LimbPosture, type Posture } from './skeleton.js';

export interface PerformanceOptions {
  /** Movements performed; alternating exercises alternate left, right, left … */
  reps: number;
  fps?: number;
  /** 1 = full range of motion, 0.5 = half way; one number per rep, or one for all. */
  depth?: number | number[];
  /** The right side moves this much less (0.2 = 20 % less). */
  asymmetry?: number;
  /** One movement, down and back up; default: the motion's own. */
  repMs?: number;
  pauseMs?: number;
  /** Standing still before the first and after the last rep. */
  leadInMs?: number;
  leadOutMs?: number;
  /** Gaussian jitter (standard deviation) on x and y, in image units. */
  noise?: number;
  /** Chance that a frame is missing altogether. */
  dropFrames?: number;
  /** Chance that a keypoint comes with a score under the threshold. */
  lowScore?: number;
  /** Keypoints out of view (score under the threshold), e.g. ankles below the frame, in a time window. */
  hidden?: { keypoints: KeypointName[]; fromMs?: number; toMs?: number }[];
  seed?: number;
  startT?: number;
  /** The movement to perform, when the exercise id is not one of MOTIONS (a teacher's exercise). */
  motion?: string;
}

/**
 * A student performing an exercise in front of the mirror, as the pose stage would report it:
 * one Pose per frame at `fps`, with the requested imperfections. Deterministic for a seed.
 */
export function performance(exerciseId: string, options: PerformanceOptions): Pose[] {
  const motion = MOTIONS[options.motion ?? exerciseId];
  if (!motion) throw new Error(`no motion for "${options.motion ?? exerciseId}"; known: ${Object.keys(MOTIONS).join(', ')}`);
  const o = { fps: 20, asymmetry: 0, repMs: motion.repMs, pauseMs: motion.pauseMs, leadInMs: 1000, leadOutMs: 1000, noise: 0, dropFrames: 0, lowScore: 0, hidden: [], seed: 1, startT: 0, ...options };
  const rand = seeded(o.seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const period = o.repMs + o.pauseMs;
  const totalMs = o.leadInMs + o.reps * period - o.pauseMs + o.leadOutMs;
  const poses: Pose[] = [];
  for (let i = 0; i * 1000 <= totalMs * o.fps; i++) {
    const ms = (i * 1000) / o.fps;
    const t = o.startT + ms;
    // Draw every random number whether or not the frame is kept, so options do not shift the noise.
    const dropped = rand() < o.dropFrames;
    const points = skeleton(postureAt(motion, ms - o.leadInMs, period, o));
    const keypoints = KEYPOINT_NAMES.map((name) => {
      const low = rand() < o.lowScore;
      const score = low || isHidden(name, ms, o.hidden) ? 0.05 + 0.2 * rand() : 0.75 + 0.2 * rand();
      return { x: points[name].x + o.noise * gaussian(), y: points[name].y + o.noise * gaussian(), score };
    });
    if (!dropped) poses.push({ keypoints, score: keypoints.reduce((sum, k) => sum + k.score, 0) / keypoints.length, t });
  }
  return poses;
}

function postureAt(motion: Motion, ms: number, period: number, o: { reps: number; repMs: number; depth?: number | number[]; asymmetry: number }): Posture {
  const rep = Math.floor(ms / period);
  const within = ms - rep * period;
  const moving = ms >= 0 && rep < o.reps && within < o.repMs;
  // Raised cosine: starts and ends at rest with zero speed, like a real movement.
  const envelope = moving ? (1 - Math.cos((2 * Math.PI * within) / o.repMs)) / 2 : 0;
  const depth = Array.isArray(o.depth) ? (o.depth[rep] ?? 1) : (o.depth ?? 1);
  const activeSide: Side | undefined = motion.alternating ? (rep % 2 === 0 ? 'left' : 'right') : undefined;
  const limb = (side: Side): LimbPosture => {
    const active = activeSide === undefined || activeSide === side;
    const amount = active ? envelope * depth * (side === 'right' ? 1 - o.asymmetry : 1) : 0;
    const posture = { ...REST };
    for (const [joint, peak] of Object.entries(motion.peak) as [keyof LimbPosture, number][]) posture[joint] = REST[joint] + (peak - REST[joint]) * amount;
    return posture;
  };
  return Object.fromEntries(SIDES.map((s) => [s, limb(s)])) as Posture;
}

function isHidden(name: KeypointName, ms: number, hidden: readonly { keypoints: KeypointName[]; fromMs?: number; toMs?: number }[]): boolean {
  return hidden.some((h) => h.keypoints.includes(name) && ms >= (h.fromMs ?? 0) && ms < (h.toMs ?? Infinity));
}
