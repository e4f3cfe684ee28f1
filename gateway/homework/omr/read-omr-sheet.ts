import sharp from 'sharp';
import { decideGroup, measureBubble } from '../read/bubbles.js';
import type { Registration } from '../read/locate.js';
import type { Raster } from '../read/raster.js';
import type { FieldReading, PageReading } from '../read/types.js';
import type { ImportedSheet } from './omrchecker.js';

/**
 * Reads a scan of an imported OMRChecker sheet the way OMRChecker expects it: the scan is the
 * cropped sheet, resized to the template's page size; then our bubble measurement and decision
 * (blank, marked, several, faint, crossed out) apply unchanged.
 */
export async function readOmrSheet(image: Buffer, sheet: ImportedSheet): Promise<PageReading> {
  const timings = { decodeMs: 0, locateMs: 0, fieldsMs: 0 };
  const [width, height] = sheet.pageDimensions;
  let raster: Raster;
  try {
    const rgb = await sharp(image, { limitInputPixels: 60_000_000, failOn: 'error' }).keepIccProfile().removeAlpha().toColourspace('srgb').resize(width, height, { fit: 'fill' }).raw().toBuffer();
    raster = { rgb, width, height };
  } catch (err) {
    return { status: 'rejected', reason: `not a readable image: ${(err as Error).message}`, readings: [], timings };
  }
  const identity: Registration = { toPixels: [1, 0, 0, 0, 1, 0, 0, 0, 1], pixelsPerMm: 1, rotationDegrees: 0, errorMm: 0, fiducialsFound: 0 };
  const reds: number[] = [];
  for (let i = 0; i < raster.rgb.length; i += 3 * 53) reds.push(raster.rgb[i]!);
  reds.sort((a, b) => a - b);
  const levels = { white: reds[Math.floor(reds.length * 0.75)]!, black: reds[Math.floor(reds.length * 0.002)]! };
  const types = new Map(sheet.assignment.pages[0]!.questions.map((q) => [q.id, q.type]));
  const readings: FieldReading[] = sheet.fields.map((f) => {
    const d = decideGroup(
      f.bubbles.map((b) => measureBubble(raster, identity, b, levels)),
      types.get(f.label) === 'multiple',
    );
    const value = d.state === 'marked' || d.state === 'multiple' || d.state === 'faint' ? d.chosen : null;
    return { questionId: f.label, state: d.state, value, confidence: d.confidence, needsReview: d.state === 'faint' || d.state === 'multiple' || d.confidence < 0.35 };
  });
  for (const [name, labels] of Object.entries(sheet.customLabels)) {
    const parts = labels.map((l) => readings.find((r) => r.questionId === l));
    const ok = parts.every((p) => p?.state === 'marked');
    readings.push({ questionId: name, state: ok ? 'marked' : 'unreadable', value: ok ? parts.map((p) => (p!.value as string[])[0]).join('') : null, confidence: Math.min(...parts.map((p) => p?.confidence ?? 0)), needsReview: !ok });
  }
  return { status: 'read', assignmentId: sheet.assignment.id, page: 1, studentId: null, readings, timings };
}
