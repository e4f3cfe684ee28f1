import type { ClassReportMessage } from '../../contract/types.generated.js';
import type { Assignment, Roster } from '../assignments/types.js';
import type { Outcome, PageGrade } from './grade-page.js';

/** The report as the district receives it (class-report/1). */
export type ReportSnapshot = ClassReportMessage;

/** One student's part of a report, kept on the card (saved-reports.ts). */
export interface SavedStudent {
  assignmentId: string;
  studentId: string;
  pages: PageGrade[];
  rescanned: boolean;
}

/**
 * The class report for one assignment, updated page by page as the scanner and the smart pens
 * feed them. The same student's page scanned again replaces the earlier one (and is marked as
 * rescanned); a pen page's later revision replaces its earlier one as an update, not a rescan.
 */
export class ClassReport {
  private readonly pages = new Map<string, PageGrade>();
  private readonly rescanned = new Set<string>();

  constructor(private readonly assignment: Assignment) {}

  /** A student's pages as they are now, to keep on the card so a restart does not report them missing. */
  savedStudent(studentId: string): SavedStudent {
    const pages = [...this.pages.values()].filter((g) => (g.studentId ?? 'unknown') === studentId);
    return { assignmentId: this.assignment.id, studentId, pages, rescanned: this.rescanned.has(studentId) };
  }

  /** Puts back a student's saved pages; pages of another assignment (a file copied by hand) are refused. */
  restoreStudent(saved: SavedStudent): void {
    if (saved.assignmentId !== this.assignment.id || typeof saved.studentId !== 'string' || !Array.isArray(saved.pages)) throw new Error(`not a saved student of ${this.assignment.id}`);
    for (const grade of saved.pages) {
      if (grade.assignmentId !== this.assignment.id || !Array.isArray(grade.questions)) throw new Error(`a saved page of ${String(grade.assignmentId)} is not a page of ${this.assignment.id}`);
    }
    for (const grade of saved.pages) this.add(grade, { update: true });
    if (saved.rescanned) this.rescanned.add(saved.studentId);
  }

  add(grade: PageGrade, how: { update?: boolean } = {}): { rescanned: boolean } {
    const student = grade.studentId ?? 'unknown';
    const key = `${student}#${grade.page}`;
    const again = this.pages.has(key) && !how.update;
    if (again) this.rescanned.add(student);
    this.pages.set(key, grade);
    return { rescanned: again };
  }

  snapshot(roster: Roster | null): ReportSnapshot {
    const pageCount = this.assignment.pages.length;
    const byStudent = new Map<string, PageGrade[]>();
    for (const g of this.pages.values()) {
      const id = g.studentId ?? 'unknown';
      byStudent.set(id, [...(byStudent.get(id) ?? []), g]);
    }
    const names = new Map((roster?.students ?? []).map((s) => [s.id, s.name]));
    const questions = this.assignment.pages.flatMap((p) => p.questions);
    const outcomes = new Map<string, Outcome[]>();
    const tagTally = new Map<string, { wrong: number; attempts: number }>();
    const students = [...byStudent].map(([studentId, grades]) => {
      const qs = grades.flatMap((g) => g.questions);
      for (const q of qs) {
        outcomes.set(q.questionId, [...(outcomes.get(q.questionId) ?? []), q.outcome]);
        if (q.outcome === 'correct' || q.outcome === 'incorrect' || q.outcome === 'partial' || q.outcome === 'unanswered') {
          for (const tag of q.tags) {
            const t = tagTally.get(tag) ?? { wrong: 0, attempts: 0 };
            t.attempts++;
            if (q.outcome !== 'correct') t.wrong++;
            tagTally.set(tag, t);
          }
        }
      }
      return {
        studentId,
        name: names.get(studentId) ?? null,
        score: Number(grades.reduce((s, g) => s + g.score, 0).toFixed(2)),
        maxScore: grades.reduce((s, g) => s + g.maxScore, 0),
        wrong: qs.filter((q) => q.outcome === 'incorrect' || q.outcome === 'partial' || q.outcome === 'unanswered').map((q) => q.questionId),
        needsReview: qs.filter((q) => q.outcome === 'needs-review').map((q) => q.questionId),
        rescanned: this.rescanned.has(studentId),
      };
    });
    const perQuestion = questions
      .filter((q) => q.type !== 'free')
      .map((q) => {
        const o = outcomes.get(q.id) ?? [];
        const answered = o.filter((x) => x === 'correct' || x === 'incorrect' || x === 'partial').length;
        const correct = o.filter((x) => x === 'correct').length;
        return { questionId: q.id, label: q.label, answered, correct, correctRate: answered ? Number((correct / answered).toFixed(3)) : null, needsReview: o.filter((x) => x === 'needs-review').length };
      });
    const complete = [...byStudent].filter(([, g]) => new Set(g.map((p) => p.page)).size === pageCount).map(([id]) => id);
    return {
      assignmentId: this.assignment.id,
      classId: roster?.classId ?? this.assignment.class ?? null,
      handedIn: complete.sort(),
      partial: [...byStudent.keys()].filter((id) => !complete.includes(id)).sort(),
      missing: (roster?.students ?? []).map((s) => s.id).filter((id) => !byStudent.has(id)),
      unknownStudents: roster ? [...byStudent.keys()].filter((id) => !names.has(id)).sort() : [],
      perQuestion,
      students: students.sort((a, b) => a.studentId.localeCompare(b.studentId)),
      mostMissed: perQuestion
        .filter((q) => q.correctRate !== null)
        .sort((a, b) => a.correctRate! - b.correctRate!)
        .slice(0, 5)
        .map((q) => ({ questionId: q.questionId, correctRate: q.correctRate! })),
      weakTags: [...tagTally]
        .map(([tag, t]) => ({ tag, errorRate: Number((t.wrong / t.attempts).toFixed(3)), attempts: t.attempts }))
        .sort((a, b) => b.errorRate - a.errorRate)
        .slice(0, 5),
      pagesRead: this.pages.size,
      updatedAt: new Date().toISOString(),
    };
  }
}
