import type { HomeworkBurden, PenLive, PenPage } from '../contract/types.generated.js';
import type { PageGrade } from '../homework/grading/grade-page.js';
import type { PenPageReading } from './answers/read-pen-page.js';
import type { AssignmentBurden } from './burden/assignment-burden.js';
import type { StudentProgress } from './live/class-progress.js';
import type { PageInProgress } from './page-book.js';

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/** A pen-written page's answers, as the district receives them. */
export function penPageMessage(page: PageInProgress, reading: PenPageReading, grade: PageGrade): PenPage {
  const when = new Map<string, { firstAt: number | null; lastAt: number | null; confidence: number }>();
  for (const r of reading.readings) when.set(r.questionId, { firstAt: r.firstAt, lastAt: r.lastAt, confidence: r.confidence });
  for (const a of reading.answerAreas) when.set(a.questionId, { firstAt: a.firstAt, lastAt: a.lastAt, confidence: 1 });
  return {
    studentId: page.studentId,
    pen: page.pen,
    assignmentId: page.printed.assignmentId,
    page: page.printed.page,
    revision: page.revision,
    firstWrittenAt: iso(page.firstAt),
    lastWrittenAt: iso(page.lastAt),
    score: grade.score,
    maxScore: grade.maxScore,
    needsReview: grade.needsReview,
    questions: grade.questions.map(({ questionId, outcome, points, maxPoints, given }) => {
      const w = when.get(questionId);
      return { questionId, outcome, points, maxPoints, given, confidence: w?.confidence ?? 1, writtenFrom: isoOrNull(w?.firstAt ?? null), writtenTo: isoOrNull(w?.lastAt ?? null) };
    }),
  };
}

export interface LiveContext {
  pens: { connected: number; ready: number };
  /** The pen each student wrote with last. */
  penOf(studentId: string): string | null;
  /** How many questions an assignment has. */
  questionsIn(assignmentId: string): number;
}

export function penLiveMessage(now: number, students: StudentProgress[], ctx: LiveContext): PenLive {
  return {
    at: iso(now),
    pens: ctx.pens,
    students: students.map((s) => ({
      studentId: s.studentId,
      pen: ctx.penOf(s.studentId),
      // "thinking" (a pause shorter than the idle time) is still time at work.
      state: s.status === 'idle' ? 'idle' : 'writing',
      assignmentId: s.assignmentId,
      page: s.page,
      answered: s.answered.length,
      questions: ctx.questionsIn(s.assignmentId),
      activeSeconds: Math.round(s.activeMs / 1000),
      idleSeconds: Math.round(s.idleMs / 1000),
      lastWrittenAt: iso(s.lastActivityAt),
    })),
  };
}

export function burdenMessage(b: AssignmentBurden, now: number): HomeworkBurden {
  const d = b.distribution;
  return {
    assignmentId: b.assignmentId,
    grade: b.grade,
    limitMinutes: b.limitMinutes,
    students: b.students.map((s) => ({
      studentId: s.studentId,
      activeMinutes: s.activeMinutes,
      elapsedMinutes: s.elapsedMinutes,
      breakMinutes: Math.round(s.breaks.reduce((sum, x) => sum + x.minutes, 0) * 10) / 10,
      overLimit: s.overLimit,
    })),
    distribution: { count: d.count, meanMinutes: d.mean ?? 0, p50Minutes: d.p50 ?? 0, p90Minutes: d.p90 ?? 0, maxMinutes: d.max ?? 0, overLimitShare: d.overLimitShare, histogram: d.histogram },
    updatedAt: iso(now),
  };
}
