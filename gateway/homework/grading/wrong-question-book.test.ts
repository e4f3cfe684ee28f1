import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../assignments/types.js';
import type { ReportSnapshot } from './class-report.js';
import { wrongQuestionBook } from './wrong-question-book.js';

const example = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'assignments', 'examples', 'fractions-week3.json'), 'utf8')) as Assignment;
const report = {
  assignmentId: example.id,
  students: [{ studentId: 's01', name: 'Li Wei', score: 9, maxScore: 25, wrong: ['q2', 'q12'], needsReview: ['q13'], rescanned: false }],
} as unknown as ReportSnapshot;

describe("a student's wrong-question book", () => {
  it('lists each wrong question with its key, knowledge points and the crop of the answer', async () => {
    const crop = await sharp({ create: { width: 200, height: 60, channels: 3, background: '#eee' } }).png().toBuffer();
    const pdf = await wrongQuestionBook(example, report, 's01', new Map([['q2', crop]]));
    const dir = mkdtempSync(join(tmpdir(), 'book-'));
    writeFileSync(join(dir, 'book.pdf'), pdf);
    const text = execFileSync('pdftotext', [join(dir, 'book.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('Li Wei (s01)');
    expect(text).toContain('Question 2');
    expect(text).toMatch(/Question 12: Add 1\/3 and 1\/6/);
    expect(text).toMatch(/to be checked by the teacher/);
    expect(text).toContain('practise: fractions.compare');
    expect(pdf.toString('latin1')).toContain('/Subtype /Image');
  });

  it('refuses a student who handed nothing in', () => {
    expect(() => wrongQuestionBook(example, report, 's99')).toThrow(/no pages of student s99/);
  });
});
