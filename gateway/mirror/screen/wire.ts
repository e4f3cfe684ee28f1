import type { MirrorLive } from '../../contract/types.generated.js';

/**
 * What the mirror's page receives on /mirror/live, one JSON text frame each:
 * - `hello` once on connect: which station this screen shows (null: the one asked for does not
 *   exist) and the box's stations, so a mis-typed kiosk URL can say what would work;
 * - `live` for every mirror-live/1 message of that station.
 */
export type ScreenFrame = { type: 'hello'; station: string | null; stations: string[] } | { type: 'live'; live: MirrorLive };

/**
 * A copy of `m` with exactly the fields of mirror-live/1. The screen is a public display: should
 * the pipeline ever hand over an object with more on it (a frame, a debug crop), it is not sent.
 */
export function screenCopy(m: MirrorLive): MirrorLive {
  return {
    station: m.station,
    at: m.at,
    state: m.state,
    message: m.message,
    student: m.student && { id: m.student.id, name: m.student.name },
    exercise: m.exercise && { id: m.exercise.id, name: m.exercise.name },
    reps: m.reps,
    targetReps: m.targetReps,
    lastRep: m.lastRep && { index: m.lastRep.index, score: m.lastRep.score, feedback: m.lastRep.feedback.map(String) },
    pose: m.pose && {
      score: m.pose.score,
      keypoints: m.pose.keypoints.map(([x, y, score]) => [x, y, score]) as NonNullable<MirrorLive['pose']>['keypoints'],
    },
    fps: m.fps,
    checkinsToday: m.checkinsToday.map((c) => ({ studentId: c.studentId, name: c.name, at: c.at, reps: c.reps })),
  };
}

export function frame(f: ScreenFrame): string {
  return JSON.stringify(f);
}
