import type { PenScript, ScriptedStroke } from '../../../drivers/pen-hub/pen-hub.js';
import type { Assignment, Question } from '../../homework/assignments/types.js';
import { layoutAssignment, type Field } from '../../homework/layout/layout.js';
import { between, seeded } from '../../util/random.js';
import { pathLength } from '../answers/ink.js';
import type { PaperMap } from '../paper/paper-map.js';
import { mmToNcode } from '../paper/units.js';
import { studentPlan, teacherPlan, type FieldPlan, type Intended } from './answer-plan.js';

export interface DemoClassOptions {
  assignment: Assignment;
  /** Must hold every student's personalised pages (see paper/allocate.ts recordPrintJob). */
  paperMap: PaperMap;
  students: { studentId: string; mac: string }[];
  /** With a teacher's pen, the teacher marks every page after the class has written it. */
  teacherMac?: string;
  seed: number;
  /** 60 runs a lesson in a minute: pauses shrink by this factor; strokes only as far as the pen's ~8 ms dots still trace them. */
  timeScale?: number;
}

export interface DemoClass {
  scripts: PenScript[];
  /** What each writer meant, field by field, per student and page. */
  intended: { studentId: string; page: number; fields: Intended[] }[];
}

const S = 1_000;
/** Pen tip speed while writing, in mm/s. */
const WRITING_SPEED = { min: 25, max: 45 };
/** Dots no further apart than this trace the path; the pen samples every 8 ms. */
const DOT_SPACING_MM = 0.5;
const DOT_MS = 8;

interface Pacer {
  strokes: ScriptedStroke[];
  pauseMs: number;
}

/** Appends the paths of one field, the first after `pauseMs` of thinking, the rest a breath apart. */
function write(pacer: Pacer, plan: FieldPlan, address: ScriptedStroke['address'], options: DemoClassOptions, rand: () => number): void {
  const scale = options.timeScale ?? 1;
  const origin = options.paperMap.origin;
  for (const path of plan.paths) {
    const mm = pathLength(path);
    const realMs = (mm / between(rand, WRITING_SPEED.min, WRITING_SPEED.max)) * S;
    pacer.strokes.push({
      address,
      points: path.map((p) => mmToNcode(p, origin)),
      durationMs: Math.round(Math.max(realMs / scale, (mm / DOT_SPACING_MM) * DOT_MS, DOT_MS)),
      pauseBeforeMs: Math.round(pacer.pauseMs / scale),
    });
    pacer.pauseMs = between(rand, 0.2, 0.6) * S;
  }
}

/**
 * How long a student sits over a question before writing: a personal pace times the work the
 * question takes (free answers and numbers more than a choice), now and then a few minutes'
 * pause, and for about a quarter of the class one long break. Tuned so a class spends roughly
 * 20–70 minutes on the example workbook.
 */
function thinkingMs(q: Question, pace: number, longBreakHere: boolean, rand: () => number): number {
  const work = q.type === 'free' ? 6 : q.type === 'numeric' ? 2.5 : 1.5;
  let ms = pace * work * between(rand, 40, 110) * S;
  if (rand() < 0.08) ms += between(rand, 2, 6) * 60 * S;
  if (longBreakHere) ms += between(rand, 16, 30) * 60 * S;
  return ms;
}

/** Pen scripts for a class writing its personalised workbook pages, and what each field was meant to say. */
export function demoClass(options: DemoClassOptions): DemoClass {
  const { assignment, paperMap } = options;
  const rand = seeded(options.seed);
  const layouts = layoutAssignment(assignment, { copy: 'personalised' });
  const questions = new Map(assignment.pages.flatMap((p) => p.questions).map((q) => [q.id, q]));
  const scripts: PenScript[] = [];
  const intended: DemoClass['intended'] = [];
  // The teacher marks once the lesson's writing is done, about 80 minutes in.
  const teacher: Pacer = { strokes: [], pauseMs: 80 * 60 * S };
  const fieldsOf = (page: number) => layouts[page - 1]!.fields.map((f): [Field, Question] => [f, questions.get(f.questionId)!]);
  for (const { studentId, mac } of options.students) {
    const pacer: Pacer = { strokes: [], pauseMs: between(rand, 5, 60) * S };
    const pace = between(rand, 0.7, 2.3);
    const total = questions.size;
    const longBreakAt = rand() < 0.25 ? Math.floor(between(rand, 1, total)) : -1;
    let asked = 0;
    for (const layout of layouts) {
      const printed = paperMap.find(assignment.id, layout.page, studentId);
      if (!printed) throw new Error(`page ${layout.page} of ${assignment.id} for ${studentId} is not in the paper map: print it first`);
      const fields: Intended[] = [];
      for (const [field, q] of fieldsOf(layout.page)) {
        const plan = studentPlan(q, field, rand);
        if (!plan) continue;
        pacer.pauseMs += thinkingMs(q, pace, asked++ === longBreakAt, rand);
        write(pacer, plan, printed.address, options, rand);
        if (plan.intended) fields.push(plan.intended);
      }
      if (options.teacherMac) {
        for (const [field, q] of fieldsOf(layout.page)) {
          const plan = teacherPlan(q, field, rand);
          if (!plan) continue;
          teacher.pauseMs += between(rand, 3, 10) * S;
          write(teacher, plan, printed.address, options, rand);
          if (plan.intended) fields.push(plan.intended);
        }
      }
      intended.push({ studentId, page: layout.page, fields });
    }
    scripts.push({ mac, strokes: pacer.strokes });
  }
  if (options.teacherMac) scripts.push({ mac: options.teacherMac, strokes: teacher.strokes });
  return { scripts, intended };
}
