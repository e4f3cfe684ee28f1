import { Ajv, type ErrorObject } from 'ajv';
import { LayoutError, layoutAssignment, optionsOf } from '../layout/layout.js';
import schema from './assignment.schema.json' with { type: 'json' };
import type { Assignment, Question } from './types.js';

export class AssignmentError extends Error {}

const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

/** `/pages/0/questions/2/type` → `pages[0].questions[2].type`, as a teacher's editor shows it. */
function describe(e: ErrorObject): string {
  const path = e.instancePath.replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.').replace(/^\./, '') || '(the file)';
  if (e.keyword === 'enum') return `${path}: allowed ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'additionalProperties') return `${path}: unknown key "${String(e.params.additionalProperty)}"`;
  return `${path}: ${e.message ?? 'invalid'}`;
}

const KEYED = new Set(['single', 'multiple', 'true-false', 'numeric']);
/** Keys that mean something only for some question types: elsewhere they are a mistake, not ignored. */
const ONLY_FOR: Record<string, string[]> = { options: ['single', 'multiple'], digits: ['numeric', 'score-box'], heightMm: ['free'] };

function checkKey(q: Question): string | null {
  const options = optionsOf(q);
  const digits = q.digits ?? 2;
  if (!KEYED.has(q.type)) return q.answer === undefined ? null : `a ${q.type} question is marked by the teacher, not by a key`;
  if (q.answer === undefined) return `a ${q.type} question needs an answer key`;
  if (q.type === 'single') return typeof q.answer === 'string' && options.includes(q.answer) ? null : `one of ${options.join(', ')}`;
  if (q.type === 'multiple') {
    const ok = Array.isArray(q.answer) && q.answer.length > 0 && new Set(q.answer).size === q.answer.length && q.answer.every((v) => options.includes(v));
    return ok ? null : `a non-empty list of different options from ${options.join(', ')}`;
  }
  if (q.type === 'true-false') return typeof q.answer === 'boolean' ? null : 'true or false';
  return Number.isInteger(q.answer) && (q.answer as number) >= 0 && String(q.answer).length <= digits ? null : `a whole number of at most ${digits} digits`;
}

/** Rules a schema cannot say: the key and the sizes must fit the question, ids must be unique. */
function crossCheck(a: Assignment): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  a.pages.forEach((page, p) =>
    page.questions.forEach((q, i) => {
      const at = `pages[${p}].questions[${i}]`;
      if (seen.has(q.id)) problems.push(`${at}.id: "${q.id}" is used twice`);
      seen.add(q.id);
      for (const [key, types] of Object.entries(ONLY_FOR)) {
        if (key in q && !types.includes(q.type)) problems.push(`${at}.${key}: only for ${types.join(' and ')} questions, not ${q.type}`);
      }
      if (q.marking?.partial && q.type !== 'multiple') problems.push(`${at}.marking.partial: only for multiple questions, not ${q.type}`);
      const key = checkKey(q);
      if (key) problems.push(`${at}.answer: ${key}`);
      if (q.type === 'score-box') {
        const digits = q.digits ?? 2;
        if (digits > 3) problems.push(`${at}.digits: a score box has 1 to 3 digits, not ${digits}`);
        else if (String(Math.floor(q.points ?? 1)).length > digits) problems.push(`${at}.digits: ${digits} boxes cannot hold the maximum score ${q.points}`);
      }
    }),
  );
  return problems;
}

/**
 * An assignment file, checked: every problem named by its JSON path, with what is allowed; and
 * every page must fit both as a personalised and as a generic copy (whose student-number grid
 * takes room), so printing and reading never fail later.
 */
export function loadAssignment(json: unknown): Assignment {
  if (!validate(json)) throw new AssignmentError((validate.errors ?? []).map(describe).join('\n'));
  const assignment = json as unknown as Assignment;
  const problems = crossCheck(assignment);
  if (problems.length) throw new AssignmentError(problems.join('\n'));
  try {
    layoutAssignment(assignment, { copy: 'personalised' });
    layoutAssignment(assignment, { copy: 'generic' });
  } catch (err) {
    if (err instanceof LayoutError) throw new AssignmentError(err.message);
    throw err;
  }
  return assignment;
}
