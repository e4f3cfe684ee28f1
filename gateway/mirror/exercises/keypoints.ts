import { KEYPOINT_NAMES, type KeypointName } from '../../../models/movenet/decode.js';

/** MoveNet's 17 COCO keypoints, in the model's output order ("left" is the person's left). */
export { KEYPOINT_NAMES, type KeypointName } from '../../../models/movenet/decode.js';

export const SIDES = ['left', 'right'] as const;
export type Side = (typeof SIDES)[number];

/** Body parts that come in pairs: exercise files may name them without a side ("knee"). */
export const PAIRED_PARTS = ['eye', 'ear', 'shoulder', 'elbow', 'wrist', 'hip', 'knee', 'ankle'] as const;
export type PairedPart = (typeof PAIRED_PARTS)[number];

/** A keypoint as an exercise file names it: a full name, or a paired part resolved per side. */
export type KeypointRef = KeypointName | PairedPart;

/** x, y normalised 0..1 in the image (y down); score 0..1. */
export interface Keypoint {
  x: number;
  y: number;
  score: number;
}

/** One smoothed MoveNet result. `keypoints` is in KEYPOINT_NAMES order; `t` in milliseconds. */
export interface Pose {
  keypoints: Keypoint[];
  score: number;
  t: number;
}

/** MoveNet's recommended keypoint score threshold (model card). */
export const MOVENET_SCORE_THRESHOLD = 0.3;

const INDEX = new Map<string, number>(KEYPOINT_NAMES.map((name, i) => [name, i]));

export function keypointIndex(name: KeypointName): number {
  return INDEX.get(name)!;
}

export function isPaired(ref: KeypointRef): ref is PairedPart {
  return (PAIRED_PARTS as readonly string[]).includes(ref);
}

/** "knee" on the left is "left_knee"; full names stay as they are. */
export function resolveRef(ref: KeypointRef, side: Side): KeypointName {
  return isPaired(ref) ? `${side}_${ref}` : ref;
}

export const otherSide = (side: Side): Side => (side === 'left' ? 'right' : 'left');
