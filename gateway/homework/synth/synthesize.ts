import sharp from 'sharp';
import type { Assignment, Question } from '../assignments/types.js';
import type { Field, PageLayout } from '../layout/layout.js';
import { renderPageSvg, type PageText } from '../layout/svg.js';
import type { FieldState } from '../read/types.js';
import { handwrittenNumber } from './handwriting.js';
import { bubbleMark, strayMark, teacherMark, type BubbleStyle } from './marks.js';
import { between, pick } from '../../util/random.js';

/** What the synthetic student meant: the reader is scored against this. */
export interface FieldTruth {
  questionId: string;
  state: FieldState;
  value: string[] | string | null;
}

export interface ScanStyle {
  dpi: number;
  /** Whole-page rotation in degrees: a sheet fed sideways or upside down, plus skew. */
  rotationDegrees: number;
  /** Scanner scale error, e.g. 0.98–1.02. */
  scale: number;
  /** Standard deviation of pixel noise, in grey levels. */
  noise: number;
  jpegQuality: number;
}

export const CLEAN_200: ScanStyle = { dpi: 200, rotationDegrees: 0, scale: 1, noise: 0, jpegQuality: 92 };

/** The marks on one bubble group (one row of options, or one digit column). */
function markGroup(values: string[], allowMultiple: boolean, rand: () => number): { marks: [string, BubbleStyle][]; state: FieldState; chosen: string[] } {
  const roll = rand();
  const [a, b] = [pick(rand, values), pick(rand, values)];
  const ink: BubbleStyle = pick(rand, ['pencil', 'pencil', 'pen', 'partial']);
  if (roll < 0.07) return { marks: [], state: 'blank', chosen: [] };
  if (roll < 0.12) return { marks: [[a, 'faint']], state: 'faint', chosen: [a] };
  if (roll < 0.16 && a !== b) return { marks: [[a, 'cancelled'], [b, ink]], state: 'marked', chosen: [b] };
  if (roll < 0.19) return { marks: [[a, 'cancelled']], state: 'cancelled', chosen: [] };
  if (roll < 0.23 && a !== b) return { marks: [[a, 'erased'], [b, ink]], state: 'marked', chosen: [b] };
  if (roll < 0.27 && a !== b) return { marks: [[a, ink], [b, ink]], state: allowMultiple ? 'marked' : 'multiple', chosen: [a, b].sort() };
  return { marks: [[a, ink]], state: 'marked', chosen: [a] };
}

function fieldMarks(field: Field, question: Question | undefined, rand: () => number): { svg: string; truth: FieldTruth } {
  const bubbles = field.bubbles ?? [];
  const draw = (marks: [string, BubbleStyle][]) => marks.map(([v, style]) => bubbleMark(bubbles.find((b) => b.value === v)!, style, rand)).join('');
  if (field.kind === 'mark-box') {
    const mark = rand() < 0.1 ? null : rand() < 0.6 ? 'tick' : 'cross';
    return { svg: mark ? teacherMark(field.rect, mark, rand) : '', truth: { questionId: field.questionId, state: mark ?? 'blank', value: mark } };
  }
  const columns = [...new Set(bubbles.map((b) => (b.value.includes(':') ? b.value.split(':')[0]! : '')))];
  if (columns.length > 1 || columns[0] !== '') {
    // Digit grids: one mark per column; a column not cleanly marked makes the whole number unreadable.
    let svg = '';
    const digits: string[] = [];
    let state: FieldState = 'marked';
    for (const c of columns) {
      const group = markGroup(Array.from({ length: 10 }, (_, d) => `${c}:${d}`), false, rand);
      svg += draw(group.marks);
      if (group.state === 'marked') digits.push(group.chosen[0]!.split(':')[1]!);
      else if (state === 'marked') state = group.state;
    }
    return { svg, truth: { questionId: field.questionId, state, value: state === 'marked' ? digits.join('') : null } };
  }
  const group = markGroup(bubbles.map((b) => b.value), question?.type === 'multiple', rand);
  return { svg: draw(group.marks), truth: { questionId: field.questionId, state: group.state, value: group.state === 'marked' || group.state === 'multiple' ? group.chosen : null } };
}

/** A filled-in page as a scanner would deliver it, with what the student really meant. */
export async function synthesizeScan(
  assignment: Assignment,
  layout: PageLayout,
  text: PageText,
  style: ScanStyle,
  rand: () => number,
): Promise<{ image: Buffer; truth: FieldTruth[] }> {
  const questions = new Map(assignment.pages.flatMap((p) => p.questions).map((q) => [q.id, q]));
  const truth: FieldTruth[] = [];
  let overlay = '';
  for (const field of layout.fields) {
    if (field.kind === 'answer-area') continue;
    if (field.kind === 'digit-boxes') {
      const max = questions.get(field.questionId)?.points ?? 9;
      const value = rand() < 0.1 ? null : String(Math.floor(rand() * (max + 1)));
      overlay += value === null ? '' : handwrittenNumber(field.boxes ?? [], value, rand);
      truth.push({ questionId: field.questionId, state: value === null ? 'blank' : 'digits', value });
      continue;
    }
    const { svg, truth: t } = fieldMarks(field, questions.get(field.questionId), rand);
    overlay += svg;
    truth.push(t);
  }
  for (let i = 0; i < 2; i++) overlay += strayMark({ x: 120, y: 60, w: 60, h: 200 }, rand);
  const svg = renderPageSvg(layout, text, style.dpi, overlay);
  let page = sharp(Buffer.from(svg)).flatten({ background: '#fff' });
  if (style.rotationDegrees !== 0) page = page.rotate(style.rotationDegrees, { background: '#fff' });
  let { data, info } = await page.raw().toBuffer({ resolveWithObject: true });
  if (style.scale !== 1) {
    ({ data, info } = await sharp(data, { raw: info })
      .resize(Math.round(info.width * style.scale), Math.round(info.height * style.scale))
      .raw()
      .toBuffer({ resolveWithObject: true }));
  }
  if (style.noise > 0) {
    for (let i = 0; i < data.length; i++) {
      // Sum of uniforms ≈ Gaussian, cheap and seeded.
      const n = (rand() + rand() + rand() - 1.5) * 2 * style.noise;
      data[i] = Math.max(0, Math.min(255, data[i]! + n));
    }
  }
  const image = await sharp(data, { raw: info }).jpeg({ quality: style.jpegQuality }).withMetadata({ density: style.dpi }).toBuffer();
  return { image, truth };
}

/** A realistic degraded scan: some rotation, skew up to ±3°, scale error, noise, JPEG artefacts. */
export function degradedStyle(rand: () => number, dpi: number): ScanStyle {
  return {
    dpi,
    rotationDegrees: pick(rand, [0, 0, 0, 90, 180, 270]) + between(rand, -3, 3),
    scale: between(rand, 0.97, 1.03),
    noise: between(rand, 4, 12),
    jpegQuality: Math.round(between(rand, 55, 85)),
  };
}
