import type { Assignment } from '../../homework/assignments/types.js';
import type { Field, PageLayout } from '../../homework/layout/layout.js';
import { bubbleFieldReading, markFieldReading, scoreFieldReading } from '../../homework/read/field-decisions.js';
import type { FieldReading, PageReading } from '../../homework/read/types.js';
import { measureBubbleInk } from './bubble-ink.js';
import { readDigitInk } from './digit-ink.js';
import { strokesByField, writtenBetween } from './field-strokes.js';
import type { InkStroke } from './ink.js';
import { readMarkStrokes } from './mark-strokes.js';
import { inkPng } from './render-ink.js';

/** A field's reading, and when it was written (null: untouched). */
export interface PenFieldReading extends FieldReading {
  firstAt: number | null;
  lastAt: number | null;
}

export interface PenPageReading {
  assignmentId: string;
  page: number;
  studentId: string | null;
  readings: PenFieldReading[];
  /** Free answer areas, kept as pictures for the teacher. */
  answerAreas: { questionId: string; png: Buffer; firstAt: number | null; lastAt: number | null }[];
  /** Strokes outside every field: doodles, working in the margin. */
  strayStrokes: number;
}

export interface PenReadOptions {
  /** Readings below this confidence are flagged for the teacher (the scanner's default). */
  reviewBelow?: number;
  /** Who wrote it when the page is a generic copy; otherwise read from its student-number grid. */
  studentId?: string | null;
}

const AREA_PX_PER_MM = 8;
const AREA_MARGIN_MM = 2;

async function readField(field: Field, strokes: InkStroke[], multiple: boolean, reviewBelow: number): Promise<FieldReading> {
  if (field.kind === 'mark-box') {
    const { mark, confidence } = readMarkStrokes(field.rect, strokes);
    return markFieldReading(field.questionId, mark, confidence, reviewBelow);
  }
  if (field.kind === 'digit-boxes') return scoreFieldReading(field.questionId, await readDigitInk(field.boxes ?? [], strokes));
  const measures = (field.bubbles ?? []).map((b) => measureBubbleInk(b, strokes));
  return bubbleFieldReading(field.questionId, measures, multiple, reviewBelow);
}

/**
 * Every field of one printed page read from the pen strokes written on it (in page mm): the same
 * readings the scanner gives, with when each question was written. Nothing uncertain is guessed.
 */
export async function readPenPage(assignment: Assignment, layout: PageLayout, ink: InkStroke[], options: PenReadOptions = {}): Promise<PenPageReading> {
  const reviewBelow = options.reviewBelow ?? 0.35;
  const types = new Map(assignment.pages.flatMap((p) => p.questions).map((q) => [q.id, q.type]));
  const { byField, stray } = strokesByField(layout, ink);
  const readings: PenFieldReading[] = [];
  const answerAreas: PenPageReading['answerAreas'] = [];
  for (const [field, strokes] of byField) {
    const when = writtenBetween(strokes) ?? { firstAt: null, lastAt: null };
    if (field.kind === 'answer-area') {
      const r = field.rect;
      const region = { x: r.x - AREA_MARGIN_MM, y: r.y - AREA_MARGIN_MM, w: r.w + 2 * AREA_MARGIN_MM, h: r.h + 2 * AREA_MARGIN_MM };
      answerAreas.push({ questionId: field.questionId, png: await inkPng(strokes, region, AREA_PX_PER_MM), ...when });
      continue;
    }
    readings.push({ ...(await readField(field, strokes, types.get(field.questionId) === 'multiple', reviewBelow)), ...when });
  }
  const idGrid = readings.find((r) => r.questionId === 'student-id');
  const fromGrid = idGrid?.state === 'marked' && typeof idGrid.value === 'string' ? idGrid.value : null;
  return { assignmentId: layout.assignmentId, page: layout.page, studentId: options.studentId ?? fromGrid, readings, answerAreas, strayStrokes: stray.length };
}

/** The reading in the scanner's form, so the homework grader (gradePage) scores pen pages too. */
export function asPageReading(r: PenPageReading): PageReading {
  return {
    status: 'read',
    assignmentId: r.assignmentId,
    page: r.page,
    studentId: r.studentId,
    readings: r.readings,
    timings: { decodeMs: 0, locateMs: 0, fieldsMs: 0 },
    crops: r.answerAreas.map(({ questionId, png }) => ({ questionId, png })),
  };
}
