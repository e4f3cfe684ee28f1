import { seeded } from '../../util/random.js';
import { MOTIONS, REST } from '../exercises/synth/motions.js';
import { performance } from '../exercises/synth/performance.js';
import { skeleton, type LimbPosture } from '../exercises/synth/skeleton.js';
import { inOrder, toFrame, type Point } from './frame-keypoints.js';

export type Activity = 'walk-in' | 'exercise' | 'rest' | 'walk-out';

export interface TimelineFrame {
  /** 17 keypoints, normalised to the frame (what is drawn, and what MoveNet should find). */
  keypoints: Point[];
  activity: Activity;
  /** The exercise being performed or rested after. */
  exercise?: string;
}

export interface TimelineOptions {
  exercises: readonly string[];
  reps: number;
  fps: number;
  width: number;
  height: number;
  seed: number;
}

const WALK_MS = 3000;
const REST_MS = 2500;
const STEP_MS = 900;

/**
 * MoveNet cannot place a knee whose thigh points straight at the camera from hip height (the
 * synthesiser's 85° lift; see README), so high knees are performed to 90 % depth (about 76°),
 * still well past the counter's "up" threshold.
 */
export const DEMO_DEPTH: Record<string, number> = { 'high-knees': 0.9 };

/**
 * A student walks in from the left, performs each exercise `reps` times at its natural tempo
 * with a rest after each, and walks out to the right; played in a loop it starts again.
 */
export function demoTimeline(o: TimelineOptions): TimelineFrame[] {
  const frames: TimelineFrame[] = [];
  const place = (points: readonly Point[], shiftX = 0) => toFrame(points, o.width, o.height, shiftX);
  const rand = seeded(o.seed);
  const edge = 0.5 + (0.25 * o.height) / o.width;
  frames.push(...walk(o.fps, -edge, 0).map((w) => ({ keypoints: place(w.points, w.shiftX), activity: 'walk-in' as const })));
  for (const exercise of o.exercises) {
    if (!MOTIONS[exercise]) throw new Error(`no motion for "${exercise}"; known: ${Object.keys(MOTIONS).join(', ')}`);
    // Real students do not repeat a movement exactly: each rep reaches a slightly different depth.
    const base = DEMO_DEPTH[exercise] ?? 1;
    const depth = Array.from({ length: o.reps }, () => base * (0.92 + 0.08 * rand()));
    const poses = performance(exercise, { reps: o.reps, fps: o.fps, depth, seed: o.seed, leadInMs: 800, leadOutMs: 400 });
    frames.push(...poses.map((p) => ({ keypoints: place(p.keypoints), activity: 'exercise' as const, exercise })));
    frames.push(...rest(o.fps).map((points) => ({ keypoints: place(points), activity: 'rest' as const, exercise })));
  }
  frames.push(...walk(o.fps, 0, edge).map((w) => ({ keypoints: place(w.points, w.shiftX), activity: 'walk-out' as const })));
  return frames;
}

/** Stepping sideways: knees lift in turn while the body glides from `fromX` to `toX` (frame units). */
function walk(fps: number, fromX: number, toX: number): { points: Point[]; shiftX: number }[] {
  const n = Math.round((WALK_MS * fps) / 1000);
  return Array.from({ length: n }, (_, i) => {
    const ms = (i * 1000) / fps;
    const phase = (2 * Math.PI * ms) / STEP_MS;
    const t = i / (n - 1);
    // Ease in and out so the student arrives and leaves without a jolt.
    const eased = (1 - Math.cos(Math.PI * t)) / 2;
    const limb = (lift: number, arm: number): LimbPosture => ({ ...REST, thighLift: 25 * Math.max(0, lift), armRaise: REST.armRaise + arm });
    return {
      points: inOrder(skeleton({ left: limb(Math.sin(phase), 6 * Math.sin(phase)), right: limb(-Math.sin(phase), -6 * Math.sin(phase)) })),
      shiftX: fromX + (toX - fromX) * eased,
    };
  });
}

/** Standing and catching breath: arms and shoulders move a little, feet stay put. */
function rest(fps: number): Point[][] {
  const n = Math.round((REST_MS * fps) / 1000);
  return Array.from({ length: n }, (_, i) => {
    const sway = Math.sin((2 * Math.PI * i) / fps / 1.6);
    const limb = (sign: number): LimbPosture => ({ ...REST, armRaise: REST.armRaise + 4 + 3 * sign * sway });
    return inOrder(skeleton({ left: limb(1), right: limb(-1) }));
  });
}
