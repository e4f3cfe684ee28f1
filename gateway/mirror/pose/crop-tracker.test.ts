import { describe, expect, it } from 'vitest';
import { KEYPOINT_NAMES, type Keypoint, type KeypointName } from '../exercises/index.js';
import { CropTracker, bodyCrop, centreCrop, cropToFrame, paddedFullCrop, poseScore, type CropRegion } from './crop-tracker.js';

const FRAME = { width: 640, height: 480 };

/** Keypoints from pixel positions in a 640×480 frame; unnamed ones unseen (score 0). */
function pose(points: Partial<Record<KeypointName, [number, number]>>, score = 0.8): Keypoint[] {
  return KEYPOINT_NAMES.map((name) => {
    const p = points[name];
    return p ? { x: p[0] / FRAME.width, y: p[1] / FRAME.height, score } : { x: 0, y: 0, score: 0 };
  });
}

/** A child standing at x 320: shoulders at y 200, hips 300, ankles 420. */
const standing = (dx = 0) =>
  pose({
    nose: [320 + dx, 150],
    left_shoulder: [345 + dx, 200],
    right_shoulder: [295 + dx, 200],
    left_hip: [335 + dx, 300],
    right_hip: [305 + dx, 300],
    left_ankle: [335 + dx, 420],
    right_ankle: [305 + dx, 420],
  });

const px = (c: CropRegion) => ({ x: c.xMin * FRAME.width, y: c.yMin * FRAME.height, w: c.width * FRAME.width, h: c.height * FRAME.height });

describe('crop regions', () => {
  it('starts with the centred square and falls back to the whole frame padded to a square', () => {
    expect(px(centreCrop(FRAME))).toEqual({ x: 80, y: 0, w: 480, h: 480 });
    expect(px(paddedFullCrop(FRAME))).toEqual({ x: 0, y: -80, w: 640, h: 640 });
    const portrait = { width: 480, height: 640 };
    expect(centreCrop(portrait)).toEqual({ xMin: 0, yMin: 80 / 640, width: 1, height: 480 / 640 });
    expect(paddedFullCrop(portrait)).toEqual({ xMin: -80 / 480, yMin: 0, width: 640 / 480, height: 1 });
  });

  it('centres on the mid-hip with half-size max(1.9 × torso, 1.2 × body)', () => {
    // From the mid-hip (320, 300): shoulders 100 px away → 1.9 × 100 = 190; farthest keypoint the
    // nose, 150 px → 1.2 × 150 = 180. So the half-size is 190 px.
    const crop = px(bodyCrop(standing(), FRAME)!);
    expect(crop.x).toBeCloseTo(320 - 190, 9);
    expect(crop.y).toBeCloseTo(300 - 190, 9);
    expect(crop.w).toBeCloseTo(380, 9);
    expect(crop.h).toBeCloseTo(380, 9);
    // A raised arm far out widens it through the body range: 1.2 × 250.
    const reaching = standing();
    reaching[KEYPOINT_NAMES.indexOf('left_wrist')] = { x: 570 / 640, y: 300 / 480, score: 0.9 };
    expect(px(bodyCrop(reaching, FRAME)!).w).toBeCloseTo(600, 9);
    // Every keypoint on one spot: not a zero-sized crop but a tenth of the frame each way.
    const bunched = pose({ left_shoulder: [320, 300], right_shoulder: [320, 300], left_hip: [320, 300], right_hip: [320, 300] });
    expect(px(bodyCrop(bunched, FRAME)!)).toEqual({ x: 256, y: 236, w: 128, h: 128 });
  });

  it('gives up on a pose without a visible torso or one bigger than the frame', () => {
    const noHips = standing().map((k, i) => (KEYPOINT_NAMES[i]!.endsWith('hip') ? { ...k, score: 0.1 } : k));
    expect(bodyCrop(noHips, FRAME)).toBeNull();
    const close = pose({ left_shoulder: [600, 0], right_shoulder: [40, 0], left_hip: [330, 470], right_hip: [310, 470] });
    expect(bodyCrop(close, FRAME)).toBeNull();
  });

  it('scores a pose by its keypoints above 0.2 only', () => {
    const kps = standing();
    expect(poseScore(kps)).toBeCloseTo(0.8, 9);
    kps[0] = { ...kps[0]!, score: 0.21 };
    expect(poseScore(kps)).toBeCloseTo((0.8 * 6 + 0.21) / 7, 9);
    expect(poseScore(pose({}))).toBe(0);
  });
});

describe('cropToFrame', () => {
  it('maps crop-normalised (y, x) back to the frame, through the padding too', () => {
    const out = new Float32Array(KEYPOINT_NAMES.length * 3);
    out.set([0.5, 0.5, 0.9, 0, 0, 0.4, 1, 1, 0.7]);
    const centre = cropToFrame(out, centreCrop(FRAME));
    expect(centre).toHaveLength(17);
    expect(centre[0]).toEqual({ x: 0.5, y: 0.5, score: expect.closeTo(0.9, 6) });
    expect(centre[1]!.x * 640).toBeCloseTo(80, 9);
    expect(centre[2]!.x * 640).toBeCloseTo(560, 9);
    const padded = cropToFrame(out, paddedFullCrop(FRAME));
    // The padded square's corners lie 80 px above and below the frame.
    expect(padded[1]!.y * 480).toBeCloseTo(-80, 9);
    expect(padded[2]!.y * 480).toBeCloseTo(560, 9);
    expect(padded[0]!.y).toBeCloseTo(0.5, 9);
  });
});

describe('CropTracker', () => {
  it('starts centred, follows a person, smooths the crop and searches the whole frame when lost', () => {
    const tracker = new CropTracker();
    expect(tracker.regionFor(FRAME)).toEqual(centreCrop(FRAME));
    expect(tracker.update(standing())).toBe(true);
    // The first tracked crop replaces the blind guess outright.
    expect(tracker.regionFor(FRAME)).toEqual(bodyCrop(standing(), FRAME));
    // The person steps 100 px right: the crop goes 90 % of the way.
    tracker.update(standing(100));
    expect(px(tracker.regionFor(FRAME)).x).toBeCloseTo(130 + 90, 9);
    expect(px(tracker.regionFor(FRAME)).w).toBeCloseTo(380, 9);
    // Someone with no torso in view: still a pose, but the crop opens to the whole frame.
    const headOnly = pose({ nose: [320, 100], left_eye: [330, 90], right_eye: [310, 90] });
    expect(tracker.update(headOnly)).toBe(true);
    const open = px(tracker.regionFor(FRAME));
    expect(open.w).toBeGreaterThan(600);
    // Nobody: lost; the next frame is searched whole (padded), not centre-cropped.
    expect(tracker.update(pose({}, 0))).toBe(false);
    expect(tracker.regionFor(FRAME)).toEqual(paddedFullCrop(FRAME));
    expect(tracker.update(pose({ nose: [1, 1] }, 0.24))).toBe(false);
  });

  it('starts over when the camera changes resolution', () => {
    const tracker = new CropTracker();
    tracker.regionFor(FRAME);
    tracker.update(standing());
    expect(tracker.regionFor({ width: 1280, height: 720 })).toEqual(centreCrop({ width: 1280, height: 720 }));
  });
});
