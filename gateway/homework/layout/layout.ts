import { createHash } from 'node:crypto';
import type { Assignment, Question } from '../assignments/types.js';
import { BUBBLE_PITCH, BUBBLE_RADIUS, CONTENT, DIGIT_BOX, MARK_BOX, type Rect } from './geometry.js';

export type FieldKind = 'bubbles' | 'id-grid' | 'mark-box' | 'digit-boxes' | 'answer-area';

export interface Bubble {
  /** An option label ("A", "T"), or for digit grids "<column>:<digit>". */
  value: string;
  cx: number;
  cy: number;
  r: number;
}

export interface Field {
  id: string;
  /** The question, or `student-id` for the id grid of generic copies. */
  questionId: string;
  kind: FieldKind;
  rect: Rect;
  bubbles?: Bubble[];
  boxes?: Rect[];
  /** Printed left of the field. */
  label: string;
}

export interface PageLayout {
  assignmentId: string;
  /** From 1. */
  page: number;
  pageCount: number;
  copy: 'personalised' | 'generic';
  fields: Field[];
  /** Short hash of the geometry: a page printed from another layout version is recognised as such. */
  layoutHash: string;
}

export interface LayoutOptions {
  copy: 'personalised' | 'generic';
  studentIdDigits?: number;
}

export class LayoutError extends Error {}

const ROW_GAP = 3;
const FIELD_X = 40;

export function optionsOf(q: Question): string[] {
  if (q.type === 'true-false') return ['T', 'F'];
  return q.options ?? ['A', 'B', 'C', 'D'];
}

function bubbleRow(values: string[], y: number, x = FIELD_X): Bubble[] {
  return values.map((value, i) => ({ value, cx: x + BUBBLE_RADIUS + i * BUBBLE_PITCH, cy: y + BUBBLE_RADIUS, r: BUBBLE_RADIUS }));
}

/** Digit grids: one row of 0–9 per digit position, most significant first. */
function digitGrid(columns: number, y: number): Bubble[] {
  return Array.from({ length: columns }, (_, c) => bubbleRow(Array.from({ length: 10 }, (_, d) => `${c}:${d}`), y + c * BUBBLE_PITCH)).flat();
}

function bounds(bubbles: Bubble[]): Rect {
  const xs = bubbles.map((b) => b.cx);
  const ys = bubbles.map((b) => b.cy);
  const r = bubbles[0]?.r ?? 0;
  return { x: Math.min(...xs) - r, y: Math.min(...ys) - r, w: Math.max(...xs) - Math.min(...xs) + 2 * r, h: Math.max(...ys) - Math.min(...ys) + 2 * r };
}

function questionField(q: Question, y: number): Field {
  const base = { id: q.id, questionId: q.id, label: q.label };
  switch (q.type) {
    case 'single':
    case 'multiple':
    case 'true-false': {
      const bubbles = bubbleRow(optionsOf(q), y);
      return { ...base, kind: 'bubbles', bubbles, rect: bounds(bubbles) };
    }
    case 'numeric': {
      const bubbles = digitGrid(q.digits ?? 2, y);
      return { ...base, kind: 'bubbles', bubbles, rect: bounds(bubbles) };
    }
    case 'teacher-mark':
      return { ...base, kind: 'mark-box', rect: { x: FIELD_X, y, w: MARK_BOX, h: MARK_BOX } };
    case 'score-box': {
      const boxes = Array.from({ length: q.digits ?? 2 }, (_, i) => ({ x: FIELD_X + i * (DIGIT_BOX.w + DIGIT_BOX.gap), y, w: DIGIT_BOX.w, h: DIGIT_BOX.h }));
      const last = boxes[boxes.length - 1]!;
      return { ...base, kind: 'digit-boxes', boxes, rect: { x: FIELD_X, y, w: last.x + last.w - FIELD_X, h: DIGIT_BOX.h } };
    }
    case 'free':
      return { ...base, kind: 'answer-area', rect: { x: FIELD_X, y, w: CONTENT.right - FIELD_X, h: q.heightMm ?? 30 } };
  }
}

function hashOf(fields: Field[], copy: string): string {
  const geometry = fields.map((f) => [f.id, f.kind, f.rect, f.bubbles?.map((b) => [b.value, b.cx, b.cy, b.r]), f.boxes]);
  return createHash('sha256').update(JSON.stringify([copy, geometry])).digest('hex').slice(0, 8);
}

/** Every page's fields, top to bottom; a page whose questions do not fit is an error naming the question. */
export function layoutAssignment(assignment: Assignment, options: LayoutOptions = { copy: 'personalised' }): PageLayout[] {
  const idDigits = options.studentIdDigits ?? 4;
  return assignment.pages.map((page, index) => {
    const fields: Field[] = [];
    let y: number = CONTENT.top;
    if (options.copy === 'generic') {
      const bubbles = digitGrid(idDigits, y);
      fields.push({ id: 'student-id', questionId: 'student-id', kind: 'id-grid', label: 'Student no.', bubbles, rect: bounds(bubbles) });
      y += idDigits * BUBBLE_PITCH + ROW_GAP * 2;
    }
    for (const q of page.questions) {
      const field = questionField(q, y);
      if (field.rect.y + field.rect.h > CONTENT.bottom) {
        throw new LayoutError(`page ${index + 1}: question ${q.id} (${q.label}) does not fit on the page; move it to the next page`);
      }
      if (field.rect.x + field.rect.w > CONTENT.right) throw new LayoutError(`question ${q.id}: too many options for one row`);
      fields.push(field);
      y = field.rect.y + field.rect.h + ROW_GAP + (field.kind === 'bubbles' ? 1 : 2);
    }
    return { assignmentId: assignment.id, page: index + 1, pageCount: assignment.pages.length, copy: options.copy, fields, layoutHash: hashOf(fields, options.copy) };
  });
}
