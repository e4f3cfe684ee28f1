import type { MirrorLive } from '../../contract/types.generated.js';

type Keypoints = NonNullable<MirrorLive['pose']>['keypoints'];

/**
 * A student standing in the middle of a 4:3 picture, arms slightly out, in COCO order. The
 * camera faces them, so their left (odd indices) is on the picture's right (larger x).
 */
export function standingKeypoints(): Keypoints {
  const pairs: [number, number][] = [
    [0.012, 0.155], // eyes
    [0.028, 0.165], // ears
    [0.065, 0.29], // shoulders
    [0.09, 0.42], // elbows
    [0.1, 0.54], // wrists
    [0.043, 0.53], // hips
    [0.05, 0.72], // knees
    [0.055, 0.9], // ankles
  ];
  const points: [number, number, number][] = [[0.5, 0.17, 0.93]];
  for (const [dx, y] of pairs) points.push([0.5 + dx, y, 0.9], [0.5 - dx, y, 0.88]);
  return points as Keypoints;
}

export function liveMessage(overrides: Partial<MirrorLive> = {}): MirrorLive {
  return {
    station: 'camera-1',
    at: '2025-11-24T09:15:00.000Z',
    state: 'exercising',
    message: null,
    student: { id: 's-07', name: 'Mia Chen' },
    exercise: { id: 'squat', name: 'Squats' },
    reps: 3,
    targetReps: 10,
    lastRep: { index: 3, score: 72, feedback: ['Go lower'] },
    pose: { score: 0.86, keypoints: standingKeypoints() },
    fps: 14.8,
    checkinsToday: [
      { studentId: 's-03', name: 'Leo Park', at: '2025-11-24T08:40:00.000Z', reps: 24 },
      { studentId: 's-07', name: 'Mia Chen', at: '2025-11-24T09:12:00.000Z', reps: 3 },
    ],
    ...overrides,
  };
}
