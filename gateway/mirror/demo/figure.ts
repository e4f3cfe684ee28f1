import type { KeypointName, Side } from '../exercises/keypoints.js';
import { add, dist, lerp, mid, pt, scale, smoothClosedPath, unit, type Pt } from './geometry.js';
import { drawHead } from './head.js';
import { angleOfDown, Painter } from './paint.js';
import { shade, type PersonStyle } from './style.js';

/** The 17 keypoints in pixels. */
export type Joints = Record<KeypointName, Pt>;

/** The person's left is on the image's right (the camera faces them). */
const outward = (side: Side): number => (side === 'left' ? 1 : -1);

/**
 * An SVG of a person whose joints sit on the keypoints. Every width is a fraction of the torso
 * length (mid-shoulder to mid-hip), so the figure keeps its build at any distance from the camera.
 */
export function personSvg(j: Joints, width: number, height: number, style: PersonStyle): string {
  const p = new Painter();
  const torso = Math.max(1, dist(mid(j.left_shoulder, j.right_shoulder), mid(j.left_hip, j.right_hip)));
  drawShadow(p, j, torso);
  // A thigh much shorter than its shin is lifted towards the camera, so it goes in front of the body.
  const lifted = (s: Side) => dist(j[`${s}_hip`], j[`${s}_knee`]) < 0.8 * dist(j[`${s}_knee`], j[`${s}_ankle`]);
  const sides: Side[] = ['right', 'left'];
  for (const s of sides) if (!lifted(s)) drawLeg(p, j, s, torso, style, false);
  drawTorso(p, j, torso, style);
  for (const s of sides) if (lifted(s)) drawLeg(p, j, s, torso, style, true);
  drawHead(p, j, torso, style);
  for (const s of sides) drawArm(p, j, s, torso, style);
  return p.svg(width, height);
}

function drawShadow(p: Painter, j: Joints, torso: number): void {
  const floor = Math.max(j.left_ankle.y, j.right_ankle.y) + 0.15 * torso;
  const spread = Math.abs(j.left_ankle.x - j.right_ankle.x) / 2 + 0.35 * torso;
  p.raw(
    `<ellipse cx="${((j.left_ankle.x + j.right_ankle.x) / 2).toFixed(1)}" cy="${floor.toFixed(1)}" rx="${spread.toFixed(1)}" ry="${(0.07 * torso).toFixed(1)}" fill="#000" opacity="0.35" filter="url(#shadowBlur)"/>`,
    `<filter id="shadowBlur" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="${(0.04 * torso).toFixed(1)}"/></filter>`,
  );
}

function drawLeg(p: Painter, j: Joints, s: Side, torso: number, style: PersonStyle, lifted: boolean): void {
  const hip = j[`${s}_hip`];
  const knee = j[`${s}_knee`];
  const ankle = j[`${s}_ankle`];
  const shin = unit(knee, ankle);
  const lower = style.shorts ? style.skin : style.trousers;
  p.limb(knee, ankle, (style.shorts ? 0.085 : 0.105) * torso, (style.shorts ? 0.06 : 0.08) * torso, lower);
  drawShoe(p, ankle, shin, s, torso, style);
  if (!lifted) {
    if (style.shorts) p.limb(lerp(hip, knee, 0.5), knee, 0.13 * torso, 0.095 * torso, style.skin);
    p.limb(hip, style.shorts ? lerp(hip, knee, 0.55) : knee, 0.17 * torso, (style.shorts ? 0.15 : 0.11) * torso, style.trousers);
    return;
  }
  // A thigh pointing at the camera is seen end-on: the shorts' hem round it, the knee (nearest the lens) inside.
  p.limb(hip, knee, 0.17 * torso, 0.19 * torso, style.trousers);
  if (style.shorts) p.disc(knee, 0.19 * torso, style.trousers);
  p.disc(knee, (style.shorts ? 0.12 : 0.17) * torso, lower);
}

function drawShoe(p: Painter, ankle: Pt, shin: Pt, s: Side, torso: number, style: PersonStyle): void {
  // Seen from the front a shoe is its toe cap below the ankle, turned a little outwards, and its collar round the ankle.
  const centre = add(add(ankle, scale(shin, 0.14 * torso)), { x: outward(s) * 0.03 * torso, y: 0 });
  const angle = angleOfDown(shin);
  p.limb(add(ankle, scale(shin, 0.03 * torso)), centre, 0.07 * torso, 0.09 * torso, style.shorts ? '#f4f4f4' : style.shoes);
  p.ellipse(centre, 0.11 * torso, 0.085 * torso, angle, p.litFill(centre, { x: 1, y: 0 }, 0.09 * torso, style.shoes), ` stroke="${shade(style.shoes, -0.6)}" stroke-width="${(0.01 * torso).toFixed(1)}"`);
  p.ellipse(add(centre, scale(shin, 0.07 * torso)), 0.105 * torso, 0.025 * torso, angle, shade(style.shoes, -0.35));
}

function drawTorso(p: Painter, j: Joints, torso: number, style: PersonStyle): void {
  const ls = j.left_shoulder;
  const rs = j.right_shoulder;
  const lh = j.left_hip;
  const rh = j.right_hip;
  const down = unit(mid(ls, rs), mid(lh, rh));
  const across = unit(rs, ls);
  const at = (base: Pt, side: Side, out: number, along: number) => add(add(base, scale(across, outward(side) * out * torso)), scale(down, along * torso));
  // Trousers from the waistband (above the hip joints, as worn) down to the crotch.
  p.path(smoothClosedPath([at(rh, 'right', 0.13, -0.22), at(lh, 'left', 0.13, -0.22), at(lh, 'left', 0.17, 0.02), at(lh, 'left', 0.06, 0.16), at(mid(lh, rh), 'left', 0, 0.16), at(rh, 'right', 0.06, 0.16), at(rh, 'right', 0.17, 0.02)]), p.litFill(mid(lh, rh), down, 0.3 * torso, style.trousers), shade(style.trousers, -0.55));
  const outline = [
    at(rs, 'right', 0.04, -0.07),
    at(mid(ls, rs), 'left', 0, -0.1),
    at(ls, 'left', 0.04, -0.07),
    at(ls, 'left', 0.11, 0.04),
    at(lerp(ls, lh, 0.35), 'left', 0.07, 0),
    at(lerp(ls, lh, 0.65), 'left', 0.05, 0),
    at(lh, 'left', 0.13, -0.12),
    at(mid(lh, rh), 'left', 0, -0.1),
    at(rh, 'right', 0.13, -0.12),
    at(lerp(rs, rh, 0.65), 'right', 0.05, 0),
    at(lerp(rs, rh, 0.35), 'right', 0.07, 0),
    at(rs, 'right', 0.11, 0.04),
  ];
  const centre = mid(mid(ls, rs), mid(lh, rh));
  p.path(smoothClosedPath(outline), p.crossGradient(at(centre, 'right', 0.45, -0.3), at(centre, 'left', 0.45, 0.3), style.shirt), shade(style.shirt, -0.55), 0.012 * torso);
  // A collar makes the shirt read as clothing rather than a flat patch.
  const neck = mid(ls, rs);
  p.raw(`<path d="M${pt(at(neck, 'right', 0.12, -0.1))} Q${pt(at(neck, 'left', 0, 0.06))} ${pt(at(neck, 'left', 0.12, -0.1))}" fill="none" stroke="${shade(style.shirt, -0.4)}" stroke-width="${(0.03 * torso).toFixed(1)}" stroke-linecap="round"/>`);
}

function drawArm(p: Painter, j: Joints, s: Side, torso: number, style: PersonStyle): void {
  const shoulder = j[`${s}_shoulder`];
  const elbow = j[`${s}_elbow`];
  const wrist = j[`${s}_wrist`];
  const forearm = unit(elbow, wrist);
  const hand = add(wrist, scale(forearm, 0.13 * torso));
  p.ellipse(hand, 0.07 * torso, 0.15 * torso, angleOfDown(forearm), p.litFill(hand, forearm, 0.06 * torso, style.skin), ` stroke="${shade(style.skin, -0.5)}" stroke-width="${(0.008 * torso).toFixed(1)}"`);
  p.limb(elbow, wrist, 0.078 * torso, 0.058 * torso, style.skin);
  p.limb(shoulder, elbow, 0.1 * torso, 0.08 * torso, style.skin);
  // Short T-shirt sleeve over the upper half of the upper arm.
  p.limb(lerp(shoulder, elbow, 0.08), lerp(shoulder, elbow, 0.5), 0.11 * torso, 0.1 * torso, style.shirt);
}
