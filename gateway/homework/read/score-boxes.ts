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
/** One box resampled upright to CELL_W × line height, and how much of it is ink. */
function sampleBox(r: Raster, reg: Registration, box: Rect): { cell: Uint8Array; ink: number } {
  const cell = new Uint8Array(CELL_W * OCR_LINE_HEIGHT);
  let ink = 0;
  for (let y = 0; y < OCR_LINE_HEIGHT; y++) {
    for (let x = 0; x < CELL_W; x++) {
      const mm = { x: box.x + INSET + ((x + 0.5) / CELL_W) * (box.w - 2 * INSET), y: box.y + INSET + ((y + 0.5) / OCR_LINE_HEIGHT) * (box.h - 2 * INSET) };
      const p = project(reg.toPixels, mm);
      const v = luma(r, Math.min(r.width - 1, Math.max(0, Math.round(p.x))), Math.min(r.height - 1, Math.max(0, Math.round(p.y))));
      cell[y * CELL_W + x] = v;
      if (v < 160) ink++;
    }
  }
  return { cell, ink: ink / cell.length };
}

export async function readScoreBoxes(r: Raster, reg: Registration, boxes: Rect[]): Promise<ScoreDecision> {
  // Empty boxes are left out of the line: a blank box must not be read as a stray "0".
  const cells = boxes.map((box) => sampleBox(r, reg, box)).filter((c) => c.ink >= 0.01);
  if (cells.length === 0) return { state: 'blank', value: null, confidence: 1 };
  const width = cells.length * (CELL_W + GAP) + GAP;
  const line = new Uint8Array(width * OCR_LINE_HEIGHT).fill(255);
  cells.forEach(({ cell }, i) => {
    for (let y = 0; y < OCR_LINE_HEIGHT; y++) line.set(cell.subarray(y * CELL_W, (y + 1) * CELL_W), y * width + GAP + i * (CELL_W + GAP));
  });
  const { text, confidence } = await recogniseLine(line, width, '0123456789');
  if (!new RegExp(`^\\d{1,${boxes.length}}$`).test(text)) return { state: 'unreadable', value: null, confidence: 0 };
  return { state: 'digits', value: String(Number(text)), confidence };
}
