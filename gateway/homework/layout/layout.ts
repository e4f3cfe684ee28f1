import { createHash } from 'node:crypto';
import type { Assignment, Question } from '../assignments/types.js';
import {
  BUBBLE_PITCH,
  BUBBLE_RADIUS,
  CONTENT,
  DIGIT_BOX,
  FIDUCIAL_SIZE,
  FIDUCIALS,
  MARK_BOX,
  QR_BOX,
  QR_QUIET,
  textRect,
  type Point,
  type Rect,
  type TextSlot,
} from './geometry.js';

export type FieldKind = 'bubbles' | 'id-grid' | 'mark-box' | 'digit-boxes' | 'answer-area';

export interface Bubble {
  /** An option label ("A", "T"), or for digit grids "<row>:<digit>" (row 0 = first digit). */
  value: string;
  cx: number;
  cy: number;
  r: number;
}

/** One thing the reader looks at on the page. All lengths in millimetres. */
export interface Field {
  id: string;
  /** The question, or `student-id` for the student-number grid of generic copies. */
  questionId: string;
  /**
   * `bubbles`: a row of options, or for numeric questions one row of 0–9 per digit;
   * `id-grid`: the student-number rows of a generic copy; `mark-box`: a square for the teacher's
   * red ✓/✗; `digit-boxes`: one box per handwritten score digit; `answer-area`: kept as a crop only.
   */
  kind: FieldKind;
  /** Bounding box of everything the reader measures in the field. */
  rect: Rect;
  bubbles?: Bubble[];
  /** digit-boxes: one rectangle per digit, most significant first. */
  boxes?: Rect[];
  /** Question number, printed left of the field. */
  label: string;
  labelAt: TextSlot;
  /** Short prompt beside the field (above an answer area); the workbook page has the full text. */
  prompt?: { text: string; at: TextSlot };
}

export interface PageLayout {
  assignmentId: string;
  /** From 1. */
  page: number;
  pageCount: number;
  copy: 'personalised' | 'generic';
  /** Registration marks: fiducial centres (clockwise from top-left) and the QR code's box. */
  frame: { fiducials: readonly Point[]; fiducialSize: number; qr: Rect; qrQuiet: number };
  /** Title; subject, class and page n/N; the student (or "Name: ___" on generic copies). */
  header: { title: TextSlot; details: TextSlot; student: TextSlot };
  /** Top to bottom. */
  fields: Field[];
  /** Short hash of what the reader relies on: a page printed from another layout is recognised as such. */
  layoutHash: string;
}

export interface LayoutOptions {
  copy: 'personalised' | 'generic';
  /** Rows of the student-number grid on generic copies. */
  studentIdDigits?: number;
}

export class LayoutError extends Error {}

const LABEL_X = 24;
const FIELD_X = 40;
const LABEL_SIZE = 3.6;
const PROMPT_SIZE = 3.2;
const PROMPT_GAP = 5;
const ROW_GAP = 4;
// Header lines end 2 mm before the QR code's quiet zone.
const HEADER_WIDTH = QR_BOX.x - QR_QUIET - 2 - CONTENT.left;
const HEADER = {
  title: { x: CONTENT.left, baseline: 25, size: 5, maxWidth: HEADER_WIDTH },
  details: { x: CONTENT.left, baseline: 32, size: 3.5, maxWidth: HEADER_WIDTH },
  student: { x: CONTENT.left, baseline: 40, size: 3.5, maxWidth: HEADER_WIDTH },
};

export function optionsOf(q: Question): string[] {
  if (q.type === 'true-false') return ['T', 'F'];
  return q.options ?? ['A', 'B', 'C', 'D'];
}

function bubbleRow(values: string[], y: number): Bubble[] {
  return values.map((value, i) => ({ value, cx: FIELD_X + BUBBLE_RADIUS + i * BUBBLE_PITCH, cy: y + BUBBLE_RADIUS, r: BUBBLE_RADIUS }));
}

/** Digit grids: one row of 0–9 per digit, most significant on top. */
function digitGrid(rows: number, y: number): Bubble[] {
  return Array.from({ length: rows }, (_, row) => bubbleRow(Array.from({ length: 10 }, (_, d) => `${row}:${d}`), y + row * BUBBLE_PITCH)).flat();
}

function bounds(bubbles: Bubble[]): Rect {
  const xs = bubbles.map((b) => b.cx);
  const ys = bubbles.map((b) => b.cy);
  const r = bubbles[0]?.r ?? 0;
  return { x: Math.min(...xs) - r, y: Math.min(...ys) - r, w: Math.max(...xs) - Math.min(...xs) + 2 * r, h: Math.max(...ys) - Math.min(...ys) + 2 * r };
}

/** Vertically centred on the field's first row (tall boxes: on their upper half). */
function labelSlot(top: number, firstRowHeight: number): TextSlot {
  return { x: LABEL_X, baseline: top + Math.min(firstRowHeight, 8) / 2 + 0.36 * LABEL_SIZE, size: LABEL_SIZE, maxWidth: FIELD_X - 2 - LABEL_X };
}

/** A field with its number on the left and its prompt on the right. */
function besideField(base: Pick<Field, 'id' | 'questionId' | 'kind' | 'label'>, rect: Rect, firstRowHeight: number, prompt: string | undefined): Field {
  const labelAt = labelSlot(rect.y, firstRowHeight);
  const x = rect.x + rect.w + PROMPT_GAP;
  const at = { x, baseline: labelAt.baseline, size: PROMPT_SIZE, maxWidth: CONTENT.right - x };
  return { ...base, rect, labelAt, ...(prompt ? { prompt: { text: prompt, at } } : {}) };
}

function questionField(q: Question, y: number): Field {
  const base = { id: q.id, questionId: q.id, label: q.label };
  switch (q.type) {
    case 'single':
    case 'multiple':
    case 'true-false':
    case 'numeric': {
      const bubbles = q.type === 'numeric' ? digitGrid(q.digits ?? 2, y) : bubbleRow(optionsOf(q), y);
      return { ...besideField({ ...base, kind: 'bubbles' }, bounds(bubbles), 2 * BUBBLE_RADIUS, q.prompt), bubbles };
    }
    case 'teacher-mark':
      return besideField({ ...base, kind: 'mark-box' }, { x: FIELD_X, y, w: MARK_BOX, h: MARK_BOX }, MARK_BOX, q.prompt);
    case 'score-box': {
      const boxes = Array.from({ length: q.digits ?? 2 }, (_, i) => ({ x: FIELD_X + i * (DIGIT_BOX.w + DIGIT_BOX.gap), y, w: DIGIT_BOX.w, h: DIGIT_BOX.h }));
      const rect = { x: FIELD_X, y, w: boxes.length * (DIGIT_BOX.w + DIGIT_BOX.gap) - DIGIT_BOX.gap, h: DIGIT_BOX.h };
      return { ...besideField({ ...base, kind: 'digit-boxes' }, rect, DIGIT_BOX.h, q.prompt), boxes };
    }
    case 'free': {
      // The area spans the row, so its prompt goes on a line of its own above it.
      const promptHeight = q.prompt ? 5 : 0;
      const labelAt = labelSlot(y, promptHeight || 8);
      const rect = { x: FIELD_X, y: y + promptHeight, w: CONTENT.right - FIELD_X, h: q.heightMm ?? 30 };
      const prompt = q.prompt ? { text: q.prompt, at: { x: FIELD_X, baseline: labelAt.baseline, size: PROMPT_SIZE, maxWidth: rect.w } } : undefined;
      return { ...base, kind: 'answer-area', rect, labelAt, ...(prompt ? { prompt } : {}) };
    }
  }
}

function studentIdField(rows: number, y: number): Field {
  const bubbles = digitGrid(rows, y);
  return { ...besideField({ id: 'student-id', questionId: 'student-id', kind: 'id-grid', label: 'No.' }, bounds(bubbles), 2 * BUBBLE_RADIUS, 'Your number, one digit per row'), bubbles };
}

function bottomOf(f: Field): number {
  return Math.max(f.rect.y + f.rect.h, ...[f.labelAt, f.prompt?.at].filter((s) => s !== undefined).map((s) => textRect(s).y + textRect(s).h));
}

const FRAME = { fiducials: FIDUCIALS, fiducialSize: FIDUCIAL_SIZE, qr: QR_BOX, qrQuiet: QR_QUIET };

/** Only what the reader relies on: text (labels, prompts, header) may change without a new version. */
function hashOf(fields: Field[], copy: string): string {
  const geometry = fields.map((f) => [f.id, f.kind, f.rect, f.bubbles?.map((b) => [b.value, b.cx, b.cy, b.r]), f.boxes]);
  return createHash('sha256').update(JSON.stringify([FRAME, copy, geometry])).digest('hex').slice(0, 8);
}

/**
 * Every page's layout: fields in rows flowing down from the top of the content area. A question
 * that does not fit is an error naming it; the assignment's author moves it to another page.
 */
export function layoutAssignment(assignment: Assignment, options: LayoutOptions = { copy: 'personalised' }): PageLayout[] {
  return assignment.pages.map((page, index) => {
    const fields: Field[] = options.copy === 'generic' ? [studentIdField(options.studentIdDigits ?? 4, CONTENT.top)] : [];
    for (const q of page.questions) {
      const y = fields.length ? Math.max(...fields.map(bottomOf)) + ROW_GAP : CONTENT.top;
      const field = questionField(q, y);
      const where = `page ${index + 1}${options.copy === 'generic' ? ' (generic copy, below the student-number grid)' : ''}: question ${q.id} (${q.label})`;
      if (bottomOf(field) > CONTENT.bottom) throw new LayoutError(`${where} does not fit on the page; move it to the next page`);
      if (field.rect.x + field.rect.w > CONTENT.right) throw new LayoutError(`${where} is too wide for one row; give it fewer options`);
      fields.push(field);
    }
    return {
      assignmentId: assignment.id,
      page: index + 1,
      pageCount: assignment.pages.length,
      copy: options.copy,
      frame: FRAME,
      header: HEADER,
      fields,
      layoutHash: hashOf(fields, options.copy),
    };
  });
}
