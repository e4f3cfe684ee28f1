import type { Rect } from '../../homework/layout/geometry.js';
import { readScoreBoxes, type ScoreDecision } from '../../homework/read/score-boxes.js';
import type { InkStroke } from './ink.js';
import { renderInk } from './render-ink.js';

/** Twice the scanner's 150 dpi floor: the digit reader resamples each box to ~5 px/mm anyway. */
const PX_PER_MM = 12;

/** Digits written into the boxes, read by the same recogniser as scanned score boxes. */
export async function readDigitInk(boxes: Rect[], strokes: InkStroke[]): Promise<ScoreDecision> {
  if (boxes.length === 0 || strokes.length === 0) return { state: 'blank', value: null, confidence: 1 };
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const region = { x, y, w: Math.max(...boxes.map((b) => b.x + b.w)) - x, h: Math.max(...boxes.map((b) => b.y + b.h)) - y };
  const { raster, registration } = renderInk(strokes, region, PX_PER_MM);
  return readScoreBoxes(raster, registration, boxes);
}
