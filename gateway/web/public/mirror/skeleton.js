// Draws the pose's 17 COCO keypoints as a glowing stick figure on a black canvas.
//
// It is a mirror: the screen sits behind half-silvered glass, so the figure is flipped left to
// right and lines up with the student's reflection. Their left arm moves on the screen's left,
// as in any mirror. The camera's 4:3 picture is letterboxed into the canvas, never stretched.

const CAMERA_ASPECT = 4 / 3;
/** MoveNet's recommended keypoint score threshold: below it a joint is a guess. */
const MIN_SCORE = 0.3;

const LEFT = '#36d6ff';
const RIGHT = '#ff5fc8';
const MIDDLE = '#e9f3ff';
// COCO order: 0 nose, then pairs left/right: eyes 1/2, ears 3/4, shoulders 5/6, elbows 7/8,
// wrists 9/10, hips 11/12, knees 13/14, ankles 15/16. Odd = the person's left.
const BODY = [[5, 7], [7, 9], [11, 13], [13, 15], [6, 8], [8, 10], [12, 14], [14, 16], [5, 11], [6, 12], [5, 6], [11, 12]];
// Glow without shadowBlur, which a Raspberry Pi's Chromium draws slowly: wide faint strokes under the line.
const PASSES = [
  { width: 3.4, alpha: 0.1 },
  { width: 2, alpha: 0.25 },
  { width: 1, alpha: 1 },
  { width: 0.35, alpha: 0.65, colour: '#ffffff' },
];
/** Time constant of the easing between messages (several a second) at the display's frame rate. */
const EASE_MS = 70;

const side = (i) => (i % 2 === 1 ? 'left' : 'right');
/** A limb in its side's tone; the lines across the body (shoulders, hips) neutral. */
const tone = (a, b) => (side(a) !== side(b) ? MIDDLE : side(a) === 'left' ? LEFT : RIGHT);

/** Where the camera's picture lies in a width × height canvas: centred, aspect kept. */
function pictureRect(width, height) {
  const w = Math.min(width, height * CAMERA_ASPECT);
  const h = w / CAMERA_ASPECT;
  return { x: (width - w) / 2, y: (height - h) / 2, w, h };
}

/** A keypoint's [x, y] (0..1 of the picture) in canvas pixels, mirrored. */
function toCanvas([x, y], rect) {
  return [rect.x + (1 - x) * rect.w, rect.y + y * rect.h];
}

export class SkeletonView {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    // Per joint: shown position and opacity, eased towards the target.
    this.joints = Array.from({ length: 17 }, () => ({ x: 0, y: 0, a: 0, tx: 0, ty: 0, ta: 0 }));
    this.frame = 0;
    this.last = 0;
    new ResizeObserver(() => this.resize()).observe(canvas);
    this.resize();
  }

  /** keypoints: 17 × [x, y, score], or null for no one (fades out). */
  show(keypoints) {
    this.joints.forEach((j, i) => {
      const k = keypoints?.[i];
      j.ta = k && k[2] >= MIN_SCORE ? 1 : 0;
      if (!j.ta) return;
      [j.tx, j.ty] = [k[0], k[1]];
      // A joint that was hidden appears where it is instead of flying in from its old place.
      if (j.a < 0.05) [j.x, j.y] = [j.tx, j.ty];
    });
    this.wake();
  }

  resize() {
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(this.canvas.clientWidth * ratio);
    this.canvas.height = Math.round(this.canvas.clientHeight * ratio);
    this.draw();
  }

  wake() {
    if (this.frame) return;
    this.last = performance.now();
    this.frame = requestAnimationFrame((t) => this.tick(t));
  }

  // Runs only while something moves: an idle mirror costs no CPU.
  tick(now) {
    const k = 1 - Math.exp(-Math.max(0, now - this.last) / EASE_MS);
    this.last = now;
    let moving = false;
    for (const j of this.joints) {
      j.x += (j.tx - j.x) * k;
      j.y += (j.ty - j.y) * k;
      j.a += (j.ta - j.a) * k;
      if (Math.abs(j.tx - j.x) > 1e-4 || Math.abs(j.ty - j.y) > 1e-4 || Math.abs(j.ta - j.a) > 0.01) moving = true;
      else [j.x, j.y, j.a] = [j.tx, j.ty, j.ta];
    }
    this.draw();
    this.frame = moving ? requestAnimationFrame((t) => this.tick(t)) : 0;
  }

  draw() {
    const { ctx, canvas } = this;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const rect = pictureRect(canvas.width, canvas.height);
    const line = Math.max(3, rect.h * 0.016);
    const at = (i) => toCanvas([this.joints[i].x, this.joints[i].y], rect);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    // One path per tone and opacity: where the limbs of one path meet, their glows do not add up.
    const groups = new Map();
    for (const [a, b] of BODY) {
      const alpha = Math.min(this.joints[a].a, this.joints[b].a);
      if (alpha < 0.02) continue;
      const key = `${tone(a, b)} ${alpha.toFixed(2)}`;
      groups.set(key, [...(groups.get(key) ?? []), [a, b]]);
    }
    for (const pass of PASSES) {
      ctx.lineWidth = line * pass.width;
      for (const [key, edges] of groups) {
        const [colour, alpha] = key.split(' ');
        ctx.globalAlpha = Number(alpha) * pass.alpha;
        ctx.strokeStyle = pass.colour ?? colour;
        ctx.beginPath();
        for (const [a, b] of edges) {
          ctx.moveTo(...at(a));
          ctx.lineTo(...at(b));
        }
        ctx.stroke();
      }
    }
    this.joints.forEach((j, i) => {
      if (j.a < 0.02 || i < 5) return;
      const [x, y] = at(i);
      ctx.globalAlpha = j.a;
      ctx.fillStyle = '#ffffff';
      ctx.beginPath();
      ctx.arc(x, y, line * 0.55, 0, Math.PI * 2);
      ctx.fill();
    });
    this.drawHead(rect, line);
    ctx.globalAlpha = 1;
  }

  // The face's five points would be a smudge from 3 m: a ring around them reads as a head.
  drawHead(rect, line) {
    const [nose, le, re] = [this.joints[0], this.joints[3], this.joints[4]];
    const alpha = Math.min(nose.a, Math.max(le.a, re.a));
    if (alpha < 0.02) return;
    const ears = le.a > 0.5 && re.a > 0.5 ? Math.abs(le.x - re.x) * rect.w : 0;
    const radius = Math.max(ears * 0.75, rect.h * 0.045);
    const [x, y] = toCanvas([nose.x, nose.y], rect);
    const { ctx } = this;
    for (const pass of PASSES) {
      ctx.globalAlpha = alpha * pass.alpha;
      ctx.strokeStyle = pass.colour ?? MIDDLE;
      ctx.lineWidth = line * pass.width * 0.7;
      ctx.beginPath();
      ctx.arc(x, y, radius, 0, Math.PI * 2);
      ctx.stroke();
    }
  }
}
