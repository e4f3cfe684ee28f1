import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssignmentError, loadAssignment } from './load-assignment.js';

const example = JSON.parse(readFileSync(join(import.meta.dirname, 'examples', 'fractions-week3.json'), 'utf8')) as Record<string, unknown>;
const broken = (mutate: (a: any) => void) => {
  const a = structuredClone(example);
  mutate(a);
  return () => loadAssignment(a);
};

describe('loading an assignment', () => {
  it('accepts the example', () => {
    expect(loadAssignment(structuredClone(example)).id).toBe('fractions-week3');
  });

  it('names each bad key by its path, with what is allowed', () => {
    expect(broken((a) => (a.pages[0].questions[2].type = 'essay'))).toThrow('pages[0].questions[2].type: allowed "single", "multiple", "true-false", "numeric", "teacher-mark", "score-box", "free"');
    expect(broken((a) => (a.id = 'Fractions Week 3'))).toThrow(/^id: must match pattern/);
    expect(broken((a) => (a.grade = 13))).toThrow('grade: must be <= 12');
    expect(broken((a) => (a.pages[0].questions[0].colour = 'red'))).toThrow('pages[0].questions[0]: unknown key "colour"');
  });

  it('checks that the key fits the question', () => {
    expect(broken((a) => (a.pages[0].questions[0].answer = 'F'))).toThrow('pages[0].questions[0].answer: one of A, B, C, D');
    expect(broken((a) => (a.pages[0].questions[1].id = 'q1'))).toThrow('pages[0].questions[1].id: "q1" is used twice');
    expect(broken((a) => (a.pages[0].questions[7].answer = 123))).toThrow(/at most 2 digits/);
    expect(broken((a) => (a.pages[1].questions[0].answer = 'A'))).toThrow(/marked by the teacher/);
    expect(broken((a) => a.pages[1].questions.push({ id: 'q99', label: '99', type: 'free', heightMm: 200 }))).toThrow(AssignmentError);
  });
});
