import type { Rect } from '../layout/geometry.js';
import { between } from '../../util/random.js';

/** Digit skeletons in a unit box (y down), written as a hand would: one or two strokes each. */
const DIGITS: Record<string, string> = {
  '0': 'M0.5 0.05 C0.05 0.05 0.05 0.95 0.5 0.95 C0.95 0.95 0.95 0.05 0.5 0.05',
  '1': 'M0.3 0.25 L0.55 0.05 L0.55 0.95',
  '2': 'M0.15 0.3 C0.2 0 0.85 0 0.8 0.35 L0.15 0.95 L0.85 0.95',
  '3': 'M0.15 0.15 C0.6 -0.05 0.9 0.3 0.45 0.48 C0.95 0.55 0.75 1.05 0.15 0.88',
  '4': 'M0.65 0.95 L0.65 0.05 L0.1 0.65 L0.9 0.65',
  '5': 'M0.8 0.05 L0.25 0.05 L0.2 0.45 C0.7 0.3 0.95 0.7 0.7 0.9 C0.5 1.02 0.25 0.95 0.15 0.85',
  '6': 'M0.75 0.08 C0.3 0.1 0.1 0.5 0.2 0.8 C0.3 1.05 0.8 1 0.8 0.7 C0.8 0.45 0.35 0.4 0.2 0.65',
  '7': 'M0.12 0.08 L0.88 0.08 L0.4 0.95',
  '8': 'M0.5 0.5 C0.1 0.4 0.15 0.05 0.5 0.05 C0.85 0.05 0.9 0.4 0.5 0.5 C0.05 0.6 0.1 0.95 0.5 0.95 C0.9 0.95 0.95 0.6 0.5 0.5',
  '9': 'M0.8 0.35 C0.8 0 0.2 0 0.2 0.35 C0.2 0.6 0.8 0.6 0.8 0.35 L0.75 0.95',
};

/** Where one handwritten digit goes: its skeleton path (unit box) and the matrix placing it in page mm. */
export interface PlacedDigit {
  path: string;
  /** SVG matrix(a b c d e f): the unit box onto the digit's place, with a little slant. */
  matrix: [number, number, number, number, number, number];
  /** Stroke width in mm. */
  width: number;
}

/** A number as a hand places it into digit boxes, one digit a box: the drawing both the scan synthesiser and the pen simulator use. */
export function placeDigits(boxes: Rect[], value: string, rand: () => number): PlacedDigit[] {
  return [...value].map((digit, i) => {
    const box = boxes[i]!;
    const w = box.w * between(rand, 0.5, 0.7);
    const h = box.h * between(rand, 0.6, 0.8);
    const x = box.x + (box.w - w) / 2 + between(rand, -0.6, 0.6);
    const y = box.y + (box.h - h) / 2 + between(rand, -0.6, 0.6);
    const slant = between(rand, -0.15, 0.15);
    return { path: DIGITS[digit]!, matrix: [w, 0, slant * h, h, x, y], width: between(rand, 0.5, 0.75) };
  });
}

/** A number written into digit boxes, by the teacher in red pen (SVG). */
export function handwrittenNumber(boxes: Rect[], value: string, rand: () => number): string {
  return placeDigits(boxes, value, rand)
    .map(({ path, matrix: [a, b, c, d, e, f], width }) => `<path transform="matrix(${a} ${b} ${c.toFixed(3)} ${d} ${e.toFixed(2)} ${f.toFixed(2)})" d="${path}" fill="none" stroke="#c81e28" stroke-width="${(width / d).toFixed(4)}" stroke-linecap="round" stroke-linejoin="round"/>`)
    .join('');
}
