import type { Rect } from '../layout/geometry.js';
import { recogniseLine, OCR_LINE_HEIGHT } from './digit-ocr.js';
import { project } from './homography.js';
import type { Registration } from './locate.js';
import { luma, type Raster } from './raster.js';

export interface ScoreDecision {
  state: 'blank' | 'digits' | 'unreadable';
  value: string | null;
  confidence: number;
}

const CELL_W = 40;
const GAP = 8;
const INSET = 0.9; // mm inside each box: its printed outline must not look like a "1"

/**
 * The digit boxes, resampled upright side by side into one text line (the way the OCR model
 * reads), then recognised. Only whole numbers that fit the boxes count; anything else is left
 * to the teacher.
 */
export async function readScoreBoxes(r: Raster, reg: Registration, boxes: Rect[]): Promise<ScoreDecision> {
  const width = boxes.length * (CELL_W + GAP) + GAP;
  const line = new Uint8Array(width * OCR_LINE_HEIGHT).fill(255);
  let ink = 0;
  boxes.forEach((box, i) => {
    for (let y = 0; y < OCR_LINE_HEIGHT; y++) {
      for (let x = 0; x < CELL_W; x++) {
        const mm = { x: box.x + INSET + ((x + 0.5) / CELL_W) * (box.w - 2 * INSET), y: box.y + INSET + ((y + 0.5) / OCR_LINE_HEIGHT) * (box.h - 2 * INSET) };
        const p = project(reg.toPixels, mm);
        const px = Math.min(r.width - 1, Math.max(0, Math.round(p.x)));
        const py = Math.min(r.height - 1, Math.max(0, Math.round(p.y)));
        const v = luma(r, px, py);
        line[y * width + GAP + i * (CELL_W + GAP) + x] = v;
        if (v < 160) ink++;
      }
    }
  });
  if (ink < boxes.length * CELL_W * OCR_LINE_HEIGHT * 0.01) return { state: 'blank', value: null, confidence: 1 };
  const { text, confidence } = await recogniseLine(line, width);
  if (!new RegExp(`^\\d{1,${boxes.length}}$`).test(text)) return { state: 'unreadable', value: null, confidence: 0 };
  return { state: 'digits', value: String(Number(text)), confidence };
}
