import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Assignment, Question } from '../assignments/types.js';
import type { FieldReading, FieldState, PageReading } from '../read/types.js';
import { ClassReport } from './class-report.js';
import { gradePage, gradeQuestion } from './grade-page.js';

const example = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'assignments', 'examples', 'fractions-week3.json'), 'utf8')) as Assignment;
const question = (id: string) => example.pages.flatMap((p) => p.questions).find((q) => q.id === id) as Question;
const read = (questionId: string, state: FieldState, value: FieldReading['value'], needsReview = false): FieldReading => ({ questionId, state, value, confidence: 0.9, needsReview });

describe('grading a question', () => {
  it('applies the key, penalties and proportional partial credit', () => {
    expect(gradeQuestion(example, question('q1'), read('q1', 'marked', ['B']))).toMatchObject({ outcome: 'correct', points: 1 });
    expect(gradeQuestion(example, question('q1'), read('q1', 'marked', ['A']))).toMatchObject({ outcome: 'incorrect', points: 0 });
    expect(gradeQuestion(example, question('q7'), read('q7', 'marked', ['A']))).toMatchObject({ outcome: 'incorrect', points: -0.5 });
    expect(gradeQuestion(example, question('q4'), read('q4', 'marked', ['A']))).toMatchObject({ outcome: 'partial', points: 0.5 });
    expect(gradeQuestion(example, question('q4'), read('q4', 'marked', ['A', 'B']))).toMatchObject({ outcome: 'incorrect', points: 0 });
    expect(gradeQuestion(example, question('q10'), read('q10', 'marked', ['E', 'B']))).toMatchObject({ outcome: 'correct' });
    expect(gradeQuestion(example, question('q5'), read('q5', 'marked', ['T']))).toMatchObject({ outcome: 'correct' });
    expect(gradeQuestion(example, question('q8'), read('q8', 'marked', '12'))).toMatchObject({ outcome: 'correct' });
    expect(gradeQuestion(example, question('q8'), read('q8', 'marked', '21'))).toMatchObject({ outcome: 'incorrect' });
  });

  it('never guesses: faint, several marks, unreadable or flagged readings wait for the teacher', () => {
    for (const r of [read('q1', 'faint', ['B']), read('q1', 'multiple', ['A', 'B']), read('q1', 'marked', ['B'], true), read('q13', 'unreadable', null)]) {
      expect(gradeQuestion(example, question(r.questionId), r)).toMatchObject({ outcome: 'needs-review', points: 0 });
    }
  });

  it('scores blanks and crossed-out answers as unanswered, teacher ticks and score boxes as given', () => {
    expect(gradeQuestion(example, question('q1'), read('q1', 'cancelled', null))).toMatchObject({ outcome: 'unanswered' });
    expect(gradeQuestion(example, question('q11'), read('q11', 'tick', 'tick'))).toMatchObject({ outcome: 'correct', points: 2 });
    expect(gradeQuestion(example, question('q11'), read('q11', 'cross', 'cross'))).toMatchObject({ outcome: 'incorrect', points: 0 });
    expect(gradeQuestion(example, question('q13'), read('q13', 'digits', '7'))).toMatchObject({ outcome: 'partial', points: 7 });
    expect(gradeQuestion(example, question('q13'), read('q13', 'digits', '17'))).toMatchObject({ outcome: 'needs-review' });
    expect(gradeQuestion(example, question('q14'), undefined)).toMatchObject({ outcome: 'ungraded', maxPoints: 0 });
  });
});

function pageReading(studentId: string, page: number, answers: Record<string, FieldReading['value']>): PageReading {
  const readings = Object.entries(answers).map(([q, v]) => read(q, v === null ? 'blank' : typeof v === 'string' && (v === 'tick' || v === 'cross') ? (v as FieldState) : 'marked', v));
  return { status: 'read', assignmentId: example.id, page, studentId, readings, timings: { decodeMs: 0, locateMs: 0, fieldsMs: 0 } };
}

describe('class report', () => {
  const roster = { classId: '5b', students: ['s1', 's2', 's3', 's4'].map((id) => ({ id, name: `Student ${id}` })) };

  it('counts hand-ins, correct rates, wrong-question lists and weak knowledge points as pages arrive', () => {
    const report = new ClassReport(example);
    const p1 = (q1: string, q2: string) => ({ q1: [q1], q2: [q2], q3: ['A'], q4: ['A', 'C'], q5: ['T'], q6: ['F'], q7: ['C'], q8: '12', q9: ['A'], q10: ['B', 'E'] });
    report.add(gradePage(example, pageReading('s1', 1, p1('B', 'D'))));
    report.add(gradePage(example, pageReading('s1', 2, { q11: 'tick', q12: 'cross', q15: ['B'] })));
    report.add(gradePage(example, pageReading('s2', 1, p1('A', 'D'))));
    report.add(gradePage(example, pageReading('s9', 1, p1('B', 'A'))));
    const again = report.add(gradePage(example, pageReading('s2', 1, p1('B', 'A'))));
    expect(again.rescanned).toBe(true);
    const snap = report.snapshot(roster);
    expect(snap).toMatchObject({ handedIn: ['s1'], partial: ['s2', 's9'], missing: ['s3', 's4'], unknownStudents: ['s9'], pagesRead: 4, classId: '5b' });
    expect(snap.perQuestion.find((q) => q.questionId === 'q1')).toMatchObject({ answered: 3, correct: 3, correctRate: 1 });
    expect(snap.perQuestion.find((q) => q.questionId === 'q2')).toMatchObject({ answered: 3, correct: 1, correctRate: 0.333 });
    expect(snap.students.find((s) => s.studentId === 's2')).toMatchObject({ wrong: ['q2'], rescanned: true, name: 'Student s2' });
    expect(snap.students.find((s) => s.studentId === 's1')).toMatchObject({ wrong: ['q12'], needsReview: ['q13'], score: 13, maxScore: 25 });
    expect(snap.mostMissed.slice(0, 2)).toEqual([
      { questionId: 'q12', correctRate: 0 },
      { questionId: 'q2', correctRate: 0.333 },
    ]);
    expect(snap.weakTags[0]?.tag).toBe('fractions.compare');
  });
});
