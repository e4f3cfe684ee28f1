import { add, dist, f, mid, normal, pt, scale, unit, type Pt } from './geometry.js';
import type { Joints } from './figure.js';
import { angleOfDown, type Painter } from './paint.js';
import { shade, type PersonStyle } from './style.js';

/** Neck, ears, face and hair, with the eyes, ears and nose drawn on their keypoints. */
export function drawHead(p: Painter, j: Joints, torso: number, style: PersonStyle): void {
  // "Up" for the face is square to the line between the eyes (the person's right eye is on the image's left).
  const across = unit(j.right_eye, j.left_eye);
  const up = normal(across);
  const at = (base: Pt, x: number, y: number) => add(add(base, scale(across, x * torso)), scale(up, y * torso));
  const earMid = mid(j.left_ear, j.right_ear);
  const centre = add(mid(earMid, j.nose), scale(up, 0.06 * torso));
  const rx = Math.max(0.17 * torso, 1.02 * dist(j.left_ear, j.right_ear) / 2);
  // A child's head: large for the torso, which also shortens the synthesiser's long neck.
  const ry = 0.27 * torso;
  const tilt = angleOfDown(scale(up, -1));
  const skinEdge = shade(style.skin, -0.5);

  const shoulders = mid(j.left_shoulder, j.right_shoulder);
  p.limb(add(shoulders, scale(up, 0.02 * torso)), at(j.nose, 0, -0.05), 0.1 * torso, 0.09 * torso, style.skin);
  for (const ear of [j.left_ear, j.right_ear]) p.ellipse(ear, 0.035 * torso, 0.06 * torso, tilt, shade(style.skin, -0.12), ` stroke="${skinEdge}" stroke-width="${f(0.008 * torso)}"`);
  // Hair behind the face shows around the head's sides and top.
  p.ellipse(at(centre, 0, 0.03), rx * 1.08, ry * 1.02, tilt, style.hair);
  p.ellipse(centre, rx * 0.93, ry, tilt, p.crossGradient(at(centre, -0.2, 0.1), at(centre, 0.2, -0.1), style.skin), ` stroke="${skinEdge}" stroke-width="${f(0.008 * torso)}"`);
  // Fringe: a cap over the forehead, ending above the eyebrows.
  const fringe = [at(centre, -rx / torso, 0.02), at(centre, -0.6 * (rx / torso), 0.16), at(centre, 0, 0.24), at(centre, 0.6 * (rx / torso), 0.16), at(centre, rx / torso, 0.02)];
  p.raw(`<path d="M${pt(fringe[0]!)} Q${pt(fringe[1]!)} ${pt(fringe[2]!)} Q${pt(fringe[3]!)} ${pt(fringe[4]!)} Q${pt(at(centre, 0, 0.12))} ${pt(fringe[0]!)} Z" fill="${style.hair}"/>`);

  for (const eye of [j.left_eye, j.right_eye]) {
    p.raw(`<path d="M${pt(at(eye, -0.04, 0.045))} Q${pt(at(eye, 0, 0.065))} ${pt(at(eye, 0.04, 0.045))}" fill="none" stroke="${shade(style.hair, -0.2)}" stroke-width="${f(0.014 * torso)}" stroke-linecap="round"/>`);
    p.ellipse(eye, 0.032 * torso, 0.018 * torso, tilt + 90, '#f4f1ec');
    p.ellipse(eye, 0.015 * torso, 0.016 * torso, 0, '#3a2a1e');
  }
  p.raw(`<path d="M${pt(at(j.nose, -0.008, 0.06))} L${pt(at(j.nose, -0.025, -0.005))} Q${pt(at(j.nose, 0, -0.02))} ${pt(at(j.nose, 0.025, -0.005))}" fill="none" stroke="${shade(style.skin, -0.35)}" stroke-width="${f(0.01 * torso)}" stroke-linecap="round"/>`);
  p.raw(`<path d="M${pt(at(j.nose, -0.045, -0.07))} Q${pt(at(j.nose, 0, -0.095))} ${pt(at(j.nose, 0.045, -0.07))}" fill="none" stroke="#9a4a44" stroke-width="${f(0.014 * torso)}" stroke-linecap="round"/>`);
}
