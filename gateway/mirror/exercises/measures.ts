import { isPaired, keypointIndex, otherSide, resolveRef, SIDES, type Keypoint, type KeypointName, type KeypointRef, type Pose, type Side } from './keypoints.js';
import type { Measure, Scale, SidesRule } from './types.js';

/** A measure's value on each side (paired measures) or its one value (e.g. ankle-to-ankle). */
export interface SidedValue {
  left?: number;
  right?: number;
  both?: number;
}

export function refsOf(m: Measure): readonly KeypointRef[] {
  return m.kind === 'angle' ? m.points : m.kind === 'height' ? [m.of, m.above] : m.between;
}

/**
 * One pose as the measures see it: keypoints under the score threshold are absent, and x is
 * stretched by the image's aspect ratio so angles and distances are those of the real body.
 */
export class Frame {
  private readonly scales: Partial<Record<Scale, number | undefined>> = {};

  constructor(
    private readonly pose: Pose,
    private readonly minScore: number,
    private readonly aspectRatio: number,
  ) {}

  point(name: KeypointName): Keypoint | undefined {
    const k = this.pose.keypoints[keypointIndex(name)];
    return k && k.score >= this.minScore ? { x: k.x * this.aspectRatio, y: k.y, score: k.score } : undefined;
  }

  /** Body size in the image: lengths divided by it do not change with the distance to the camera. */
  scale(scale: Scale): number | undefined {
    if (!(scale in this.scales)) this.scales[scale] = scale === 'torso' ? this.torso() : this.distance('left_shoulder', 'right_shoulder');
    return this.scales[scale];
  }

  private torso(): number | undefined {
    const lengths = SIDES.map((s) => this.distance(`${s}_shoulder`, `${s}_hip`)).filter((d) => d !== undefined);
    return lengths.length ? lengths.reduce((a, b) => a + b, 0) / lengths.length : undefined;
  }

  private distance(a: KeypointName, b: KeypointName): number | undefined {
    const p = this.point(a);
    const q = this.point(b);
    return p && q ? Math.hypot(p.x - q.x, p.y - q.y) : undefined;
  }
}

export function measureOnFrame(m: Measure, frame: Frame): SidedValue {
  if (!refsOf(m).some(isPaired)) return { both: measureOnSide(m, frame, 'left') };
  return { left: measureOnSide(m, frame, 'left'), right: measureOnSide(m, frame, 'right') };
}

function measureOnSide(m: Measure, frame: Frame, side: Side): number | undefined {
  const points = refsOf(m).map((ref) => frame.point(resolveRef(ref, side)));
  if (points.some((p) => p === undefined)) return undefined;
  const [a, b, c] = points as Keypoint[];
  if (m.kind === 'angle') return angleAt(a!, b!, c!);
  const scale = frame.scale(m.scale);
  if (scale === undefined || scale === 0) return undefined;
  if (m.kind === 'height') return (b!.y - a!.y) / scale;
  const dx = Math.abs(a!.x - b!.x);
  const dy = Math.abs(a!.y - b!.y);
  return (m.axis === 'x' ? dx : m.axis === 'y' ? dy : Math.hypot(dx, dy)) / scale;
}

/** Degrees at b between b→a and b→c: 180 for a straight limb. */
function angleAt(a: Keypoint, b: Keypoint, c: Keypoint): number | undefined {
  const u = { x: a.x - b.x, y: a.y - b.y };
  const v = { x: c.x - b.x, y: c.y - b.y };
  const norms = Math.hypot(u.x, u.y) * Math.hypot(v.x, v.y);
  if (norms === 0) return undefined;
  return (Math.acos(Math.max(-1, Math.min(1, (u.x * v.x + u.y * v.y) / norms))) * 180) / Math.PI;
}

/**
 * The one number the states and rules use. A side that is out of view does not veto the other:
 * min/max/mean use whichever sides are seen. `side` is the side doing an alternating repetition.
 */
export function combineSides(value: SidedValue, rule: SidesRule, side?: Side): number | undefined {
  if (value.both !== undefined || (value.left === undefined && value.right === undefined)) return value.both;
  switch (rule) {
    case 'left':
    case 'right':
      return value[rule];
    case 'same':
    case 'opposite':
      return side === undefined ? undefined : value[rule === 'same' ? side : otherSide(side)];
  }
  const seen = [value.left, value.right].filter((v) => v !== undefined);
  if (rule === 'min') return Math.min(...seen);
  if (rule === 'max') return Math.max(...seen);
  return seen.reduce((a, b) => a + b, 0) / seen.length;
}
