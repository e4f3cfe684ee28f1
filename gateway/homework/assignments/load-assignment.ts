import { Ajv, type ErrorObject } from 'ajv';
import { LayoutError, layoutAssignment, optionsOf } from '../layout/layout.js';
import schema from './assignment.schema.json' with { type: 'json' };
import type { Assignment, Question } from './types.js';

export class AssignmentError extends Error {}

const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);

function describe(e: ErrorObject): string {
  const path = e.instancePath.replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.').replace(/^\./, '') || '(the file)';
  if (e.keyword === 'enum') return `${path}: allowed ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'additionalProperties') return `${path}: unknown key "${String(e.params.additionalProperty)}"`;
  return `${path}: ${e.message ?? 'invalid'}`;
}

/** Rules a schema cannot say: the key must fit the question. */
function crossCheck(a: Assignment): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  a.pages.forEach((page, p) =>
    page.questions.forEach((q: Question, i) => {
      const at = `pages[${p}].questions[${i}]`;
      if (seen.has(q.id)) problems.push(`${at}.id: "${q.id}" is used twice`);
      seen.add(q.id);
      const options = optionsOf(q);
      const graded = q.type === 'single' || q.type === 'multiple' || q.type === 'true-false' || q.type === 'numeric';
      if (graded && q.answer === undefined) problems.push(`${at}.answer: a ${q.type} question needs an answer key`);
      if (!graded && q.answer !== undefined) problems.push(`${at}.answer: a ${q.type} question is marked by the teacher, not by a key`);
      if (q.type === 'single' && !(typeof q.answer === 'string' && options.includes(q.answer))) problems.push(`${at}.answer: one of ${options.join(', ')}`);
      if (q.type === 'multiple' && !(Array.isArray(q.answer) && q.answer.length > 0 && q.answer.every((v) => options.includes(v)))) problems.push(`${at}.answer: a non-empty list from ${options.join(', ')}`);
      if (q.type === 'true-false' && typeof q.answer !== 'boolean') problems.push(`${at}.answer: true or false`);
      if (q.type === 'numeric' && !(Number.isInteger(q.answer) && (q.answer as number) >= 0 && String(q.answer).length <= (q.digits ?? 2))) problems.push(`${at}.answer: a whole number of at most ${q.digits ?? 2} digits`);
      if (q.type === 'score-box' && String(Math.floor(q.points ?? 1)).length > (q.digits ?? 2)) problems.push(`${at}.digits: ${q.digits ?? 2} boxes cannot hold the maximum score ${q.points}`);
    }),
  );
  return problems;
}

/** An assignment file, checked: every problem named by its JSON path, with what is allowed. */
export function loadAssignment(json: unknown): Assignment {
  if (!validate(json)) throw new AssignmentError((validate.errors ?? []).map(describe).join('\n'));
  const assignment = json as unknown as Assignment;
  const problems = crossCheck(assignment);
  if (problems.length) throw new AssignmentError(problems.join('\n'));
  try {
    layoutAssignment(assignment);
  } catch (err) {
    if (err instanceof LayoutError) throw new AssignmentError(err.message);
    throw err;
  }
  return assignment;
}
