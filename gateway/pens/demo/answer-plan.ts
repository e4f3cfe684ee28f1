import type { Question } from '../../homework/assignments/types.js';
import type { Bubble, Field } from '../../homework/layout/layout.js';
import type { FieldState } from '../../homework/read/types.js';
import { between, pick } from '../../util/random.js';
import { cross, fillBubble, strikeBubble, tick, writeDigits, writeLines, type PenPath } from './pen-writing.js';

/** What a simulated writer meant in one field: the reader is scored against it. */
export interface Intended {
  questionId: string;
  state: FieldState;
  value: string[] | string | null;
}

/** The strokes for one field, and what they mean (null for a free answer: kept as a picture, not read). */
export interface FieldPlan {
  paths: PenPath[];
  intended: Intended | null;
}

function keyOf(q: Question): string[] {
  if (q.type === 'true-false') return [q.answer ? 'T' : 'F'];
  return Array.isArray(q.answer) ? [...q.answer].sort() : [String(q.answer)];
}

/** A student's marks in a row of options: mostly right, some wrong, a few blank, now and then one crossed out and another chosen. */
function optionsPlan(q: Question, bubbles: Bubble[], rand: () => number): FieldPlan {
  const key = keyOf(q);
  const values = bubbles.map((b) => b.value);
  const bubble = (v: string) => bubbles.find((b) => b.value === v)!;
  const wrong = values.filter((v) => !key.includes(v));
  const roll = rand();
  const id = q.id;
  if (roll < 0.08) return { paths: [], intended: { questionId: id, state: 'blank', value: null } };
  if (roll < 0.16 && wrong.length) {
    // First a wrong choice, struck out, then the right one.
    const first = pick(rand, wrong);
    return { paths: [fillBubble(bubble(first), rand), ...strikeBubble(bubble(first), rand), ...key.map((v) => fillBubble(bubble(v), rand))], intended: { questionId: id, state: 'marked', value: key } };
  }
  const chosen = roll < 0.3 && wrong.length ? (q.type === 'multiple' ? [...key.slice(1), pick(rand, wrong)].sort() : [pick(rand, wrong)]) : key;
  return { paths: chosen.map((v) => fillBubble(bubble(v), rand)), intended: { questionId: id, state: 'marked', value: chosen } };
}

/** A number in a digit grid (one row of 0–9 per digit), right most of the time. */
function numericPlan(q: Question, bubbles: Bubble[], rand: () => number): FieldPlan {
  const rows = q.digits ?? 2;
  const n = rand() < 0.75 ? Number(q.answer) : Math.floor(between(rand, 0, 10 ** rows));
  const digits = String(n).padStart(rows, '0');
  const paths = [...digits].map((d, row) => fillBubble(bubbles.find((b) => b.value === `${row}:${d}`)!, rand));
  return { paths, intended: { questionId: q.id, state: 'marked', value: digits } };
}

/** What the student writes in a field; teacher-mark and score boxes are left for the teacher. */
export function studentPlan(q: Question, field: Field, rand: () => number): FieldPlan | null {
  switch (q.type) {
    case 'single':
    case 'multiple':
    case 'true-false':
      return optionsPlan(q, field.bubbles ?? [], rand);
    case 'numeric':
      return numericPlan(q, field.bubbles ?? [], rand);
    case 'free':
      return { paths: writeLines(field.rect, 2 + Math.floor(rand() * 3), rand), intended: null };
    case 'teacher-mark':
    case 'score-box':
      return null;
  }
}

/** The teacher's marking of a student's page: a ✓ or ✗, or a score written in the boxes. */
export function teacherPlan(q: Question, field: Field, rand: () => number): FieldPlan | null {
  if (q.type === 'teacher-mark') {
    const mark = rand() < 0.7 ? 'tick' : 'cross';
    return { paths: (mark === 'tick' ? tick : cross)(field.rect, rand), intended: { questionId: q.id, state: mark, value: mark } };
  }
  if (q.type === 'score-box') {
    const boxes = field.boxes ?? [];
    const score = String(Math.min(q.points ?? 1, Math.floor(between(rand, 0, (q.points ?? 1) + 1)), 10 ** boxes.length - 1));
    return { paths: writeDigits(boxes.slice(0, score.length), score, rand), intended: { questionId: q.id, state: 'digits', value: score } };
  }
  return null;
}
