import type { LimbPosture } from './skeleton.js';

/** How an exercise moves the skeleton: from the rest posture towards `peak` and back, once per rep. */
export interface Motion {
  /** The joints that move, at full depth (depth 1). */
  peak: Partial<LimbPosture>;
  /** One side per rep, starting with the left (high knees, side lunges); otherwise both sides together. */
  alternating: boolean;
  repMs: number;
  /** Standing still between reps. */
  pauseMs: number;
}

export const REST: LimbPosture = { armRaise: 8, kneeBend: 0, legSpread: 3, thighLift: 0 };

/** One per built-in exercise id; a teacher's exercise can be performed with any of them (`motion` option). */
export const MOTIONS: Record<string, Motion> = {
  squat: { peak: { kneeBend: 90 }, alternating: false, repMs: 2000, pauseMs: 400 },
  'jumping-jack': { peak: { armRaise: 165, legSpread: 18 }, alternating: false, repMs: 1200, pauseMs: 0 },
  'high-knees': { peak: { thighLift: 85 }, alternating: true, repMs: 700, pauseMs: 0 },
  'arm-raise': { peak: { armRaise: 165 }, alternating: false, repMs: 2500, pauseMs: 400 },
  lunge: { peak: { kneeBend: 90 }, alternating: true, repMs: 2200, pauseMs: 400 },
};
