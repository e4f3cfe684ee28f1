import type { Point, Rect } from '../../homework/layout/geometry.js';
import type { Bubble } from '../../homework/layout/layout.js';
import { placeDigits } from '../../homework/synth/handwriting.js';
import { between } from '../../util/random.js';

/** What a hand draws for each kind of answer, as strokes of page millimetres. */
export type PenPath = Point[];

/** A bubble filled the way pens fill them: one zig-zag stroke to and fro across the circle. */
export function fillBubble(b: Bubble, rand: () => number): PenPath {
  const reach = b.r * between(rand, 0.8, 0.92);
  const cx = b.cx + between(rand, -0.2, 0.2);
  const cy = b.cy + between(rand, -0.2, 0.2);
  const rows = Math.ceil((2 * reach) / between(rand, 0.4, 0.5));
  const path: PenPath = [];
  for (let i = 0; i <= rows; i++) {
    const y = cy - reach + (2 * reach * i) / rows;
    const half = Math.sqrt(Math.max(0, reach * reach - (y - cy) ** 2));
    const [from, to] = i % 2 ? [cx + half, cx - half] : [cx - half, cx + half];
    path.push({ x: from, y }, { x: to, y });
  }
  return path;
}

/** A bubble struck out: a line from corner to corner across it, reaching well past the circle. */
export function strikeBubble(b: Bubble, rand: () => number): PenPath[] {
  const reach = b.r * between(rand, 1.5, 1.75);
  const tilt = between(rand, -0.2, 0.2);
  return [[{ x: b.cx - reach, y: b.cy - reach * (1 + tilt) }, { x: b.cx + reach, y: b.cy + reach * (1 - tilt) }]];
}

/** A tick: a short stroke down to the right, then a long one up to the right, in one go. */
export function tick(box: Rect, rand: () => number): PenPath[] {
  const at = (fx: number, fy: number) => ({ x: box.x + fx * box.w, y: box.y + fy * box.h });
  return [[at(0.18, between(rand, 0.5, 0.6)), at(between(rand, 0.38, 0.45), between(rand, 0.78, 0.88)), at(between(rand, 0.78, 0.88), between(rand, 0.12, 0.22))]];
}

export function cross(box: Rect, rand: () => number): PenPath[] {
  const at = (fx: number, fy: number) => ({ x: box.x + fx * box.w, y: box.y + fy * box.h });
  return [
    [at(0.2, 0.2), at(between(rand, 0.75, 0.85), between(rand, 0.75, 0.85))],
    [at(between(rand, 0.75, 0.85), 0.2), at(0.2, between(rand, 0.75, 0.85))],
  ];
}

/** Lines of joined-up "writing" (waves of varied height) filling part of an answer area. */
export function writeLines(area: Rect, lines: number, rand: () => number): PenPath[] {
  const strokes: PenPath[] = [];
  const lineGap = Math.min(8, area.h / (lines + 1));
  for (let line = 0; line < lines; line++) {
    const baseline = area.y + lineGap * (line + 1);
    let x = area.x + between(rand, 2, 6);
    const end = area.x + area.w * between(rand, 0.5, 0.95);
    while (x < end - 10) {
      const word: PenPath = [];
      const wordEnd = x + between(rand, 6, 18);
      for (; x < wordEnd; x += 0.7) word.push({ x, y: baseline - Math.abs(Math.sin(x * 1.7)) * between(rand, 1.5, 3) });
      strokes.push(word);
      x += between(rand, 2, 4);
    }
  }
  return strokes;
}

/** Points along the cubic Bézier from p0 to p3. */
function bezier(p0: Point, p1: Point, p2: Point, p3: Point, steps: number): Point[] {
  return Array.from({ length: steps }, (_, i) => {
    const t = (i + 1) / steps;
    const u = 1 - t;
    return { x: u * u * u * p0.x + 3 * u * u * t * p1.x + 3 * u * t * t * p2.x + t * t * t * p3.x, y: u * u * u * p0.y + 3 * u * u * t * p1.y + 3 * u * t * t * p2.y + t * t * t * p3.y };
  });
}

/** An SVG path with absolute M, L and C commands, as point strokes (each M starts one). */
function pathPoints(d: string, place: (p: Point) => Point): PenPath[] {
  const strokes: PenPath[] = [];
  let pen: Point = { x: 0, y: 0 };
  for (const [, command, args] of d.matchAll(/([MLC])([^MLC]*)/g)) {
    const n = args!.trim().split(/[\s,]+/).map(Number);
    const pts = Array.from({ length: n.length / 2 }, (_, i) => ({ x: n[2 * i]!, y: n[2 * i + 1]! }));
    if (command === 'M') strokes.push([place(pts[0]!)]);
    else if (command === 'L') strokes.at(-1)!.push(...pts.map(place));
    else strokes.at(-1)!.push(...bezier(pen, pts[0]!, pts[1]!, pts[2]!, 10).map(place));
    pen = pts.at(-1)!;
  }
  return strokes;
}

/** A number written one digit a box, with the scan synthesiser's own digit skeletons. */
export function writeDigits(boxes: Rect[], value: string, rand: () => number): PenPath[] {
  return placeDigits(boxes, value, rand).flatMap(({ path, matrix: [a, b, c, d, e, f] }) => pathPoints(path, (p) => ({ x: a * p.x + c * p.y + e, y: b * p.x + d * p.y + f })));
}
