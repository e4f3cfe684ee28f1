import type { Assignment, Question } from '../assignments/types.js';
import type { Bubble } from '../layout/layout.js';

/**
 * Bubble sheets a school already uses with OMRChecker: its `template.json` (and optionally
 * `evaluation.json`) turned into our assignment and bubble geometry, so our reader marks them.
 * Coordinates stay in the template's pixels: OMRChecker resizes every scan to `pageDimensions`.
 */
export interface OmrTemplate {
  pageDimensions: [number, number];
  bubbleDimensions: [number, number];
  fieldBlocks: Record<string, OmrFieldBlock>;
  customLabels?: Record<string, string[]>;
  preProcessors?: unknown[];
}

interface OmrFieldBlock {
  origin: [number, number];
  bubblesGap: number;
  labelsGap: number;
  fieldLabels: string[];
  fieldType?: string;
  bubbleValues?: string[];
  direction?: 'horizontal' | 'vertical';
  bubbleDimensions?: [number, number];
}

export interface OmrEvaluation {
  options?: { questions_in_order?: string[]; answers_in_order?: (string | string[])[] };
  marking_schemes?: Record<string, { correct?: string | number; incorrect?: string | number; unmarked?: string | number }>;
}

export interface ImportedSheet {
  assignment: Assignment;
  /** Per field label, its bubbles in template pixels. */
  fields: { label: string; bubbles: Bubble[] }[];
  /** Custom labels join fields into one value, e.g. a roll number from roll1..roll9. */
  customLabels: Record<string, string[]>;
  pageDimensions: [number, number];
}

export class OmrImportError extends Error {}

const FIELD_TYPES: Record<string, { values: string[]; direction: 'horizontal' | 'vertical' }> = {
  QTYPE_MCQ4: { values: ['A', 'B', 'C', 'D'], direction: 'horizontal' },
  QTYPE_MCQ5: { values: ['A', 'B', 'C', 'D', 'E'], direction: 'horizontal' },
  QTYPE_INT: { values: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], direction: 'vertical' },
  QTYPE_INT_FROM_1: { values: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'], direction: 'vertical' },
};

/** "q1..20" → q1 … q20; a plain label stays itself. */
export function expandLabels(labels: string[]): string[] {
  return labels.flatMap((label) => {
    const m = /^([^.\d]*)(\d+)\.\.(\d+)$/.exec(label);
    if (!m) return [label];
    const [, prefix, from, to] = m;
    const [a, b] = [Number(from), Number(to)];
    if (b < a) throw new OmrImportError(`field label range "${label}" runs backwards`);
    return Array.from({ length: b - a + 1 }, (_, i) => `${prefix}${a + i}`);
  });
}

function points(v: string | number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = typeof v === 'number' ? v : Number(v.includes('/') ? Number(v.split('/')[0]) / Number(v.split('/')[1]) : v);
  if (!Number.isFinite(n)) throw new OmrImportError(`marking score ${JSON.stringify(v)} is not a number`);
  return n;
}

export function importOmrChecker(id: string, template: OmrTemplate, evaluation?: OmrEvaluation): ImportedSheet {
  if (!Array.isArray(template.pageDimensions) || !Array.isArray(template.bubbleDimensions) || typeof template.fieldBlocks !== 'object') {
    throw new OmrImportError('template.json needs pageDimensions, bubbleDimensions and fieldBlocks');
  }
  const fields: ImportedSheet['fields'] = [];
  const options = new Map<string, string[]>();
  for (const [name, block] of Object.entries(template.fieldBlocks)) {
    const type = block.fieldType ? FIELD_TYPES[block.fieldType] : undefined;
    if (block.fieldType && !type) throw new OmrImportError(`fieldBlocks.${name}.fieldType: allowed ${Object.keys(FIELD_TYPES).join(', ')}; found ${block.fieldType}`);
    const values = block.bubbleValues ?? type?.values;
    if (!values) throw new OmrImportError(`fieldBlocks.${name}: needs fieldType or bubbleValues`);
    const direction = block.direction ?? type?.direction ?? 'horizontal';
    const [bw, bh] = block.bubbleDimensions ?? template.bubbleDimensions;
    expandLabels(block.fieldLabels).forEach((label, f) => {
      const bubbles = values.map((value, v) => {
        const along = v * block.bubblesGap;
        const across = f * block.labelsGap;
        const [x, y] = direction === 'horizontal' ? [block.origin[0] + along, block.origin[1] + across] : [block.origin[0] + across, block.origin[1] + along];
        return { value, cx: x + bw / 2, cy: y + bh / 2, r: Math.min(bw, bh) / 2 };
      });
      fields.push({ label, bubbles });
      options.set(label, values);
    });
  }
  const order = evaluation?.options?.questions_in_order ? expandLabels(evaluation.options.questions_in_order) : [];
  const answers = evaluation?.options?.answers_in_order ?? [];
  const scheme = evaluation?.marking_schemes?.DEFAULT ?? {};
  const marking = { correct: points(scheme.correct, 1), incorrect: Math.min(0, points(scheme.incorrect, 0)), unanswered: points(scheme.unmarked, 0) };
  const custom = new Set(Object.values(template.customLabels ?? {}).flatMap((labels) => expandLabels(labels)));
  const questions: Question[] = fields
    .filter((f) => !custom.has(f.label))
    .map((f) => {
      const i = order.indexOf(f.label);
      const answer = i >= 0 ? answers[i] : undefined;
      const q: Question = { id: f.label, label: f.label, type: Array.isArray(answer) ? 'multiple' : 'single', options: options.get(f.label)! };
      if (answer !== undefined) q.answer = answer;
      return q;
    });
  const customLabels = Object.fromEntries(Object.entries(template.customLabels ?? {}).map(([k, v]) => [k, expandLabels(v)]));
  return { assignment: { id, title: id, subject: 'OMR sheet', grade: 1, marking, pages: [{ questions }] }, fields, customLabels, pageDimensions: template.pageDimensions };
}
