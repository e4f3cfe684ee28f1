/** MoveNet's 17 COCO keypoints, in the order of the model's output rows. */
export const KEYPOINT_NAMES = [
  'nose',
  'left_eye',
  'right_eye',
  'left_ear',
  'right_ear',
  'left_shoulder',
  'right_shoulder',
  'left_elbow',
  'right_elbow',
  'left_wrist',
  'right_wrist',
  'left_hip',
  'right_hip',
  'left_knee',
  'right_knee',
  'left_ankle',
  'right_ankle',
] as const;

export type KeypointName = (typeof KEYPOINT_NAMES)[number];

/**
 * One body keypoint. `y` and `x` are in 0..1 of the 192×192 model input (top-left origin), so a
 * caller maps them back through its own crop. "left" is the person's left: for someone facing the
 * camera it appears on the image's right. The model card recommends trusting scores ≥ 0.3.
 */
export interface Keypoint {
  readonly name: KeypointName;
  readonly y: number;
  readonly x: number;
  readonly score: number;
}

/** The model's float32 [1, 1, 17, 3] output (y, x, score per keypoint) → named keypoints. */
export function decodeKeypoints(output: Float32Array): Keypoint[] {
  if (output.length !== KEYPOINT_NAMES.length * 3) throw new Error(`expected ${KEYPOINT_NAMES.length * 3} values, got ${output.length}`);
  return KEYPOINT_NAMES.map((name, k) => ({ name, y: output[k * 3] ?? NaN, x: output[k * 3 + 1] ?? NaN, score: output[k * 3 + 2] ?? NaN }));
}
