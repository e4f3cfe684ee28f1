import { KEYPOINT_NAMES, SIDES, type KeypointName, type Side } from '../keypoints.js';

/** Joint angles of one side, in degrees, as seen by a camera facing the student. */
export interface LimbPosture {
  /** Straight arm raised sideways: 0 hanging, 90 level with the shoulder, 180 overhead. */
  armRaise: number;
  /** Knee flexion in the image plane (knees pushed out, as a squat seen from the front): 180 − knee angle. */
  kneeBend: number;
  /** Leg turned out sideways at the hip. Planted legs turn out further on their own to reach the floor. */
  legSpread: number;
  /** Thigh raised towards the camera (high knees): the thigh is foreshortened, the shin hangs down. */
  thighLift: number;
}

export type Posture = Record<Side, LimbPosture>;

/**
 * Segment lengths in image units (square image), for a student filling about 80 % of the frame
 * height; thigh and shin are equal so a planted leg's reach has a closed form.
 */
export const BODY = { torso: 0.22, shoulderHalf: 0.085, hipHalf: 0.055, upperArm: 0.13, forearm: 0.12, legSegment: 0.18, neck: 0.09, centreX: 0.5, floorY: 0.92 };

const rad = (deg: number) => (deg * Math.PI) / 180;
/** The person's left is on the image's right: the camera faces them. */
const outward = (side: Side) => (side === 'left' ? 1 : -1);

/** Vertical reach from hip to ankle. */
const reach = (p: LimbPosture) => BODY.legSegment * (Math.cos(rad(p.thighLift)) * Math.cos(rad(p.legSpread + p.kneeBend / 2)) + Math.cos(rad(p.legSpread - p.kneeBend / 2)));

/**
 * The 17 keypoints (x, y) of a posture. The pelvis sits as high as the shortest planted leg
 * allows (feet on the floor); a longer planted leg turns out until its foot reaches the floor,
 * as in a side lunge.
 */
export function skeleton(posture: Posture): Record<KeypointName, { x: number; y: number }> {
  const planted = SIDES.filter((s) => posture[s].thighLift === 0);
  const hipHeight = Math.min(...(planted.length ? planted : SIDES).map((s) => reach(posture[s])));
  const legs = { left: { ...posture.left }, right: { ...posture.right } };
  for (const side of planted) {
    const leg = legs[side];
    if (reach(leg) > hipHeight) leg.legSpread = (Math.acos(Math.min(1, hipHeight / (2 * BODY.legSegment * Math.cos(rad(leg.kneeBend / 2))))) * 180) / Math.PI;
  }
  const hipY = BODY.floorY - hipHeight;
  const shoulderY = hipY - BODY.torso;
  const nose = { x: BODY.centreX, y: shoulderY - BODY.neck };
  const points: Partial<Record<KeypointName, { x: number; y: number }>> = { nose };
  for (const side of SIDES) {
    const o = outward(side);
    const leg = legs[side];
    const arm = rad(leg.armRaise);
    const shoulder = { x: BODY.centreX + o * BODY.shoulderHalf, y: shoulderY };
    const elbow = { x: shoulder.x + o * BODY.upperArm * Math.sin(arm), y: shoulder.y + BODY.upperArm * Math.cos(arm) };
    const thigh = rad(leg.legSpread + leg.kneeBend / 2);
    const shin = rad(leg.legSpread - leg.kneeBend / 2);
    const hip = { x: BODY.centreX + o * BODY.hipHalf, y: hipY };
    const thighLength = BODY.legSegment * Math.cos(rad(leg.thighLift));
    const knee = { x: hip.x + o * thighLength * Math.sin(thigh), y: hip.y + thighLength * Math.cos(thigh) };
    Object.assign(points, {
      [`${side}_eye`]: { x: nose.x + o * 0.018, y: nose.y - 0.02 },
      [`${side}_ear`]: { x: nose.x + o * 0.04, y: nose.y - 0.01 },
      [`${side}_shoulder`]: shoulder,
      [`${side}_elbow`]: elbow,
      [`${side}_wrist`]: { x: elbow.x + o * BODY.forearm * Math.sin(arm), y: elbow.y + BODY.forearm * Math.cos(arm) },
      [`${side}_hip`]: hip,
      [`${side}_knee`]: knee,
      [`${side}_ankle`]: { x: knee.x + o * BODY.legSegment * Math.sin(shin), y: knee.y + BODY.legSegment * Math.cos(shin) },
    });
  }
  return Object.fromEntries(KEYPOINT_NAMES.map((name) => [name, points[name]!])) as Record<KeypointName, { x: number; y: number }>;
}
