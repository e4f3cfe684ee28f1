import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { gradePage } from '../grading/grade-page.js';
import { expandLabels, importOmrChecker, OmrImportError, type OmrEvaluation, type OmrTemplate } from './omrchecker.js';
import { readOmrSheet } from './read-omr-sheet.js';

/** The shape of OMRChecker's samples: an MCQ block and a roll-number block joined by customLabels. */
const template: OmrTemplate = {
  pageDimensions: [1200, 1600],
  bubbleDimensions: [36, 36],
  customLabels: { Roll: ['roll1..4'] },
  fieldBlocks: {
    MCQ: { fieldType: 'QTYPE_MCQ4', origin: [200, 400], bubblesGap: 60, labelsGap: 64, fieldLabels: ['q1..10'] },
    Roll: { fieldType: 'QTYPE_INT', origin: [700, 400], bubblesGap: 56, labelsGap: 60, fieldLabels: ['roll1..4'] },
  },
};
const evaluation: OmrEvaluation = {
  options: { questions_in_order: ['q1..10'], answers_in_order: ['A', 'B', 'C', 'D', 'A', 'B', 'C', 'D', 'A', ['B', 'C']] },
  marking_schemes: { DEFAULT: { correct: '3', incorrect: '-1', unmarked: '0' } },
};

/** A filled sheet as a scanner gives it back: other resolution, light noise from JPEG. */
async function filledSheet(marks: Record<string, string[]>, scale: number): Promise<Buffer> {
  const sheet = importOmrChecker('sample', template, evaluation);
  const shapes = sheet.fields.flatMap((f) =>
    f.bubbles.map((b) => {
      const filled = marks[f.label]?.includes(b.value);
      return `<circle cx="${b.cx}" cy="${b.cy}" r="${b.r}" fill="${filled ? '#222' : 'none'}" stroke="#000" stroke-width="2"/>`;
    }),
  );
  const [w, h] = template.pageDimensions;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="#fff"/>${shapes.join('')}</svg>`;
  return sharp(Buffer.from(svg)).resize(Math.round(w * scale)).jpeg({ quality: 80 }).toBuffer();
}

describe('OMRChecker sheets read by our engine', () => {
  it('expands field label ranges the way OMRChecker does', () => {
    expect(expandLabels(['q1..3', 'extra'])).toEqual(['q1', 'q2', 'q3', 'extra']);
    expect(() => expandLabels(['q5..2'])).toThrow(OmrImportError);
  });

  it('imports template and evaluation into an assignment with its key and marking', () => {
    const { assignment, fields } = importOmrChecker('sample', template, evaluation);
    expect(fields).toHaveLength(14);
    expect(assignment.marking).toEqual({ correct: 3, incorrect: -1, unanswered: 0 });
    expect(assignment.pages[0]!.questions.map((q) => q.id)).toEqual(expandLabels(['q1..10']));
    expect(assignment.pages[0]!.questions[9]).toMatchObject({ type: 'multiple', answer: ['B', 'C'] });
    expect(() => importOmrChecker('bad', { ...template, fieldBlocks: { X: { ...template.fieldBlocks.MCQ!, fieldType: 'QTYPE_ESSAY' } } })).toThrow(/fieldType: allowed QTYPE_MCQ4/);
  });

  it('reads the marks, the roll number and grades the sheet with the evaluation', async () => {
    const marks = { q1: ['A'], q2: ['C'], q3: [], q4: ['D'], q5: ['A', 'B'], q6: ['B'], q7: ['C'], q8: ['D'], q9: ['A'], q10: ['B', 'C'], roll1: ['0'], roll2: ['4'], roll3: ['2'], roll4: ['7'] };
    const sheet = importOmrChecker('sample', template, evaluation);
    const reading = await readOmrSheet(await filledSheet(marks, 0.85), sheet);
    const by = (id: string) => reading.readings.find((r) => r.questionId === id);
    expect(by('q1')).toMatchObject({ state: 'marked', value: ['A'] });
    expect(by('q3')).toMatchObject({ state: 'blank' });
    expect(by('q5')).toMatchObject({ state: 'multiple', needsReview: true });
    expect(by('q10')).toMatchObject({ state: 'marked', value: ['B', 'C'] });
    expect(by('Roll')).toMatchObject({ state: 'marked', value: '0427' });
    const grade = gradePage(sheet.assignment, reading);
    // 7 right × 3, q2 wrong −1, q3 unmarked 0, q5 left to the teacher.
    expect(grade.score).toBe(20);
    expect(grade.needsReview).toEqual(['q5']);
  });
});
