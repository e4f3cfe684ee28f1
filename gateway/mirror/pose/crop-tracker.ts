import { KEYPOINT_NAMES, type Keypoint, type KeypointName } from '../exercises/index.js';

/**
 * Where the model looks next: MoveNet sees only 192×192 pixels, so a person filling a tenth of
 * the frame is a few dozen pixels wide unless the crop follows them. This is TF.js
 * pose-detection's "smart crop": a square (in pixels) around the last pose's body.
 *
 * Regions are normalised to the frame (x by width, y by height) and may reach beyond 0..1; the
 * part outside the frame is fed to the model as black padding.
 */
export interface CropRegion {
  xMin: number;
  yMin: number;
  width: number;
  height: number;
}

export interface FrameSize {
  width: number;
  height: number;
}

/** Keypoints at or below this score are ignored for the crop and the pose score. */
const CROP_KEYPOINT_SCORE = 0.2;
/** A pose scoring below this is no pose: the tracker lets go. */
const MIN_POSE_SCORE = 0.25;
/** Weight of the new crop against the last one; high because a moving child must not escape. */
const CROP_ALPHA = 0.9;
/** Smallest half-size, as a share of the frame's longer side: keypoints bunched on one spot (a
 *  confused model) must not shrink the crop to nothing and blow a few pixels up to 192×192. */
const MIN_HALF = 0.1;
const at = (name: KeypointName) => KEYPOINT_NAMES.indexOf(name);
const LEFT_SHOULDER = at('left_shoulder');
const RIGHT_SHOULDER = at('right_shoulder');
const LEFT_HIP = at('left_hip');
const RIGHT_HIP = at('right_hip');
const TORSO = [LEFT_SHOULDER, RIGHT_SHOULDER, LEFT_HIP, RIGHT_HIP];

/** The largest centred square: the first guess, using all the model's resolution. */
export function centreCrop({ width, height }: FrameSize): CropRegion {
  const side = Math.min(width, height);
  return { xMin: (width - side) / 2 / width, yMin: (height - side) / 2 / height, width: side / width, height: side / height };
}

/** The whole frame padded to a square: nobody can be outside it. */
export function paddedFullCrop({ width, height }: FrameSize): CropRegion {
  const side = Math.max(width, height);
  return { xMin: (width - side) / 2 / width, yMin: (height - side) / 2 / height, width: side / width, height: side / height };
}

/** MoveNet's pose score: the mean of the keypoint scores above 0.2 (0 when none is). */
export function poseScore(keypoints: readonly Keypoint[]): number {
  let sum = 0;
  let n = 0;
  for (const k of keypoints) {
    if (k.score > CROP_KEYPOINT_SCORE) {
      sum += k.score;
      n++;
    }
  }
  return n ? sum / n : 0;
}

/** Model output (17 × y, x, score, normalised to the crop) → keypoints normalised to the frame. */
export function cropToFrame(output: Float32Array, crop: CropRegion): Keypoint[] {
  const keypoints: Keypoint[] = [];
  for (let i = 0; i + 2 < output.length; i += 3) {
    keypoints.push({ y: crop.yMin + output[i]! * crop.height, x: crop.xMin + output[i + 1]! * crop.width, score: output[i + 2]! });
  }
  return keypoints;
}

/**
 * The next crop from a pose in frame coordinates, or null when the torso is not seen or the
 * body would need more than the whole frame (then the caller falls back to the full frame).
 */
export function bodyCrop(keypoints: readonly Keypoint[], { width, height }: FrameSize): CropRegion | null {
  const seen = (i: number) => (keypoints[i]?.score ?? 0) > CROP_KEYPOINT_SCORE;
  if (!(seen(LEFT_HIP) || seen(RIGHT_HIP)) || !(seen(LEFT_SHOULDER) || seen(RIGHT_SHOULDER))) return null;
  const lh = keypoints[LEFT_HIP]!;
  const rh = keypoints[RIGHT_HIP]!;
  // Pixels, so that the square is square on screen.
  const cx = ((lh.x + rh.x) / 2) * width;
  const cy = ((lh.y + rh.y) / 2) * height;
  let torso = 0;
  for (const i of TORSO) {
    const k = keypoints[i]!;
    torso = Math.max(torso, Math.abs(k.x * width - cx), Math.abs(k.y * height - cy));
  }
  let body = 0;
  for (const k of keypoints) {
    if (k.score > CROP_KEYPOINT_SCORE) body = Math.max(body, Math.abs(k.x * width - cx), Math.abs(k.y * height - cy));
  }
  const half = Math.min(Math.max(1.9 * torso, 1.2 * body, MIN_HALF * Math.max(width, height)), Math.max(cx, width - cx, cy, height - cy));
  if (half > Math.max(width, height) / 2) return null;
  return { xMin: (cx - half) / width, yMin: (cy - half) / height, width: (2 * half) / width, height: (2 * half) / height };
}

export class CropTracker {
  private crop: CropRegion | null = null;
  private size: FrameSize | null = null;
  /** Whether `crop` came from a pose (and may be blended) rather than being a blind guess. */
  private tracking = false;

  /** The region to feed the model for a frame of this size. */
  regionFor(size: FrameSize): CropRegion {
    if (!this.size || this.size.width !== size.width || this.size.height !== size.height) {
      this.size = { ...size };
      this.crop = centreCrop(size);
      this.tracking = false;
    }
    this.crop ??= paddedFullCrop(size);
    return this.crop;
  }

  /**
   * Learns from the pose found in the region last returned. Returns false when the pose is too
   * weak to track: the next frame is then searched whole.
   */
  update(keypoints: readonly Keypoint[]): boolean {
    const size = this.size;
    if (!size || poseScore(keypoints) < MIN_POSE_SCORE) {
      this.crop = null;
      this.tracking = false;
      return false;
    }
    const next = bodyCrop(keypoints, size) ?? paddedFullCrop(size);
    const last = this.crop;
    if (!last || !this.tracking) {
      this.crop = next;
      this.tracking = true;
      return true;
    }
    // Blending corners (not centre and size) keeps TF.js's behaviour; a blend of two squares is
    // still square.
    const blend = (a: number, b: number) => CROP_ALPHA * a + (1 - CROP_ALPHA) * b;
    const xMin = blend(next.xMin, last.xMin);
    const yMin = blend(next.yMin, last.yMin);
    this.crop = {
      xMin,
      yMin,
      width: blend(next.xMin + next.width, last.xMin + last.width) - xMin,
      height: blend(next.yMin + next.height, last.yMin + last.height) - yMin,
    };
    return true;
  }
}
