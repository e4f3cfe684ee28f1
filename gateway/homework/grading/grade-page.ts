import type { Assignment, MarkingScheme, Question } from '../assignments/types.js';
import type { FieldReading, PageReading } from '../read/types.js';

export type Outcome = 'correct' | 'partial' | 'incorrect' | 'unanswered' | 'needs-review' | 'ungraded';

export interface QuestionGrade {
  questionId: string;
  outcome: Outcome;
  points: number;
  maxPoints: number;
  given: string[] | string | null;
  tags: string[];
}

export interface PageGrade {
  assignmentId: string;
  page: number;
  studentId: string | null;
  questions: QuestionGrade[];
  score: number;
  maxScore: number;
  needsReview: string[];
}

function scheme(assignment: Assignment, q: Question): Required<Omit<MarkingScheme, 'partial'>> & Pick<MarkingScheme, 'partial'> {
  const s = { ...assignment.marking, ...q.marking };
  return { correct: s.correct ?? q.points ?? 1, incorrect: s.incorrect ?? 0, unanswered: s.unanswered ?? 0, partial: s.partial ?? 'all-or-nothing' };
}

function keyOf(q: Question): string[] {
  if (q.type === 'true-false') return [q.answer === true ? 'T' : 'F'];
  if (Array.isArray(q.answer)) return [...q.answer].sort();
  return q.answer === undefined ? [] : [String(q.answer)];
}

/** Points for one question from what the reader saw; anything uncertain waits for the teacher. */
export function gradeQuestion(assignment: Assignment, q: Question, reading: FieldReading | undefined): QuestionGrade {
  const s = scheme(assignment, q);
  const maxPoints = s.correct;
  const base = { questionId: q.id, maxPoints, tags: q.tags ?? [], given: reading?.value ?? null };
  if (q.type === 'free') return { ...base, outcome: 'ungraded', points: 0, maxPoints: 0 };
  if (!reading || reading.needsReview || reading.state === 'faint' || reading.state === 'multiple' || reading.state === 'unreadable') {
    return { ...base, outcome: 'needs-review', points: 0 };
  }
  if (reading.state === 'blank' || reading.state === 'cancelled') return { ...base, outcome: 'unanswered', points: s.unanswered };
  if (q.type === 'teacher-mark') return reading.state === 'tick' ? { ...base, outcome: 'correct', points: maxPoints } : { ...base, outcome: 'incorrect', points: 0 };
  if (q.type === 'score-box') {
    const points = Number(reading.value);
    if (!Number.isFinite(points) || points > maxPoints) return { ...base, outcome: 'needs-review', points: 0 };
    return { ...base, outcome: points === maxPoints ? 'correct' : points === 0 ? 'incorrect' : 'partial', points };
  }
  const given = (Array.isArray(reading.value) ? reading.value : [String(reading.value)]).map((v) => (q.type === 'numeric' ? String(Number(v)) : v)).sort();
  const key = keyOf(q);
  if (JSON.stringify(given) === JSON.stringify(key)) return { ...base, outcome: 'correct', points: maxPoints };
  if (q.type === 'multiple' && s.partial === 'proportional') {
    const right = given.filter((g) => key.includes(g)).length;
    const wrong = given.length - right;
    const points = Math.max(0, ((right - wrong) / key.length) * maxPoints);
    if (points > 0) return { ...base, outcome: 'partial', points: Number(points.toFixed(2)) };
  }
  return { ...base, outcome: 'incorrect', points: s.incorrect };
}

export function gradePage(assignment: Assignment, reading: PageReading): PageGrade {
  const page = assignment.pages[(reading.page ?? 0) - 1];
  if (reading.status !== 'read' || !page) throw new Error(`page ${reading.page} of ${reading.assignmentId} was not read: ${reading.reason ?? reading.status}`);
  const questions = page.questions.map((q) => gradeQuestion(assignment, q, reading.readings.find((r) => r.questionId === q.id)));
  return {
    assignmentId: assignment.id,
    page: reading.page!,
    studentId: reading.studentId ?? null,
    questions,
    score: Number(questions.reduce((sum, q) => sum + q.points, 0).toFixed(2)),
    maxScore: questions.reduce((sum, q) => sum + q.maxPoints, 0),
    needsReview: questions.filter((q) => q.outcome === 'needs-review').map((q) => q.questionId),
  };
}
