/**
 * A workbook assignment as teachers author it (JSON, validated by assignment.schema.json beside
 * this file). The printer lays its pages out, the reader finds its fields on scans, the grader
 * marks them. Lengths are millimetres.
 */

export type QuestionType =
  /** One of `options`, as bubbles. */
  | 'single'
  /** Any subset of `options`, as bubbles. */
  | 'multiple'
  /** Bubbles T / F. */
  | 'true-false'
  /** `digits` columns of bubbles 0–9: a number. */
  | 'numeric'
  /** A box where the teacher writes a red ✓ or ✗; scores maxScore or 0. */
  | 'teacher-mark'
  /** Boxes where the teacher writes the score in digits (0..maxScore). */
  | 'score-box'
  /** An answer area the student writes in; kept as a crop, not graded here. */
  | 'free';

export interface MarkingScheme {
  /** Points for a fully correct answer (default: the question's `points`). */
  correct?: number;
  /** Points for a wrong answer (≤ 0 is a penalty; default 0). */
  incorrect?: number;
  /** Points when nothing is marked (default 0). */
  unanswered?: number;
  /** For `multiple`: 'all-or-nothing' (default), or 'proportional' (right picks minus wrong picks, over the key's size, never below 0). */
  partial?: 'all-or-nothing' | 'proportional';
}

export interface Question {
  /** Unique within the assignment, e.g. `q1`. */
  id: string;
  /** Printed label, e.g. "1" or "3b". */
  label: string;
  type: QuestionType;
  /** The prompt, printed beside the answer area when given (short; the workbook page has the full text). */
  prompt?: string;
  /** Option labels for single/multiple (default A–D); true-false is always ["T","F"]. */
  options?: string[];
  /** numeric and score-box: how many digit columns (1–3 for score-box, 1–6 for numeric). */
  digits?: number;
  /** free: height of the answer area. */
  heightMm?: number;
  /** The key: "B" (single), ["A","C"] (multiple), true/false (true-false), 42 (numeric). Absent for teacher-mark, score-box, free. */
  answer?: string | string[] | boolean | number;
  /** Full marks (teacher-mark and score-box: the maximum score). Default 1. */
  points?: number;
  marking?: MarkingScheme;
  /** Knowledge points, e.g. "fractions.addition"; the class report ranks weak ones. */
  tags?: string[];
}

export interface AssignmentPage {
  questions: Question[];
}

export interface Assignment {
  /** Topic-level safe: ^[a-z0-9][a-z0-9_-]{0,63}$ */
  id: string;
  title: string;
  subject: string;
  /** School grade 1–12; the homework-time limits depend on it. */
  grade: number;
  /** Class the assignment is for, e.g. "7b". */
  class?: string;
  /** Default marking for questions without their own. */
  marking?: MarkingScheme;
  pages: AssignmentPage[];
}

export interface Student {
  id: string;
  name: string;
  /** Class number, printed on personalised pages. */
  number?: number;
}

export interface Roster {
  classId?: string;
  students: Student[];
}
