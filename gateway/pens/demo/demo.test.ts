import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../homework/assignments/types.js';
import { layoutAssignment } from '../../homework/layout/layout.js';
import { inkOnPage } from '../answers/ink.js';
import { readPenPage } from '../answers/read-pen-page.js';
import { assignmentBurden } from '../burden/assignment-burden.js';
import { recordPrintJob } from '../paper/allocate.js';
import { addressKey, PaperMap } from '../paper/paper-map.js';
import { StrokeAssembler } from '../strokes/stroke-assembler.js';
import type { Stroke } from '../strokes/stroke.js';
import { demoClass } from './class-scripts.js';
import { scriptEvents } from './script-events.js';

const assignment = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'homework', 'assignments', 'examples', 'fractions-week3.json'), 'utf8')) as Assignment;
const layouts = layoutAssignment(assignment, { copy: 'personalised' });
const students = Array.from({ length: 8 }, (_, i) => ({ studentId: `s${i + 1}`, mac: `9C:7B:D2:00:00:${String(i + 1).padStart(2, '0')}` }));
const TEACHER = '9C:7B:D2:00:00:FF';

function printedClass(): PaperMap {
  const map = new PaperMap({ origin: { x: 3, y: 4 } });
  const pool = { section: 3, owner: 27, notes: { from: 1, to: 5 }, pagesPerNote: 100 };
  for (const { studentId } of students) recordPrintJob(map, pool, layouts.map((l) => ({ assignmentId: assignment.id, page: l.page, studentId, layoutHash: l.layoutHash })));
  return map;
}

/** The scripts replayed through the stroke builder, as the hub would deliver them. */
function strokesOf(scripts: ReturnType<typeof demoClass>['scripts']): Stroke[] {
  const strokes: Stroke[] = [];
  const assembler = new StrokeAssembler((s) => strokes.push(s));
  scripts.forEach((script, i) => scriptEvents(script, `hub/${i}`, 1_700_000_000_000).forEach((e) => assembler.push(e)));
  return strokes;
}

describe('demo class', () => {
  it('is the same for the same seed', () => {
    const map = printedClass();
    expect(JSON.stringify(demoClass({ assignment, paperMap: map, students, seed: 4 }))).toBe(JSON.stringify(demoClass({ assignment, paperMap: map, students, seed: 4 })));
  });

  it('reads back what the simulated students and teacher meant, never confidently wrong', async () => {
    const paperMap = printedClass();
    const demo = demoClass({ assignment, paperMap, students, teacherMac: TEACHER, seed: 7 });
    const byPage = new Map<string, Stroke[]>();
    for (const s of strokesOf(demo.scripts)) byPage.set(addressKey(s.address), [...(byPage.get(addressKey(s.address)) ?? []), s]);
    let fields = 0;
    const wrong: string[] = [];
    const confidentlyWrong: string[] = [];
    for (const { studentId, page, fields: meant } of demo.intended) {
      const printed = paperMap.find(assignment.id, page, studentId)!;
      const reading = await readPenPage(assignment, layouts[page - 1]!, inkOnPage(byPage.get(addressKey(printed.address)) ?? [], paperMap.origin), { studentId });
      for (const m of meant) {
        fields++;
        const got = reading.readings.find((r) => r.questionId === m.questionId)!;
        if (got.state === m.state && JSON.stringify(got.value) === JSON.stringify(m.value)) continue;
        const line = `${studentId} ${m.questionId}: meant ${m.state} ${JSON.stringify(m.value)}, read ${got.state} ${JSON.stringify(got.value)} (${got.confidence.toFixed(2)})`;
        wrong.push(line);
        if (!got.needsReview) confidentlyWrong.push(line);
      }
    }
    expect(confidentlyWrong).toEqual([]);
    expect(wrong.length / fields, wrong.join('\n')).toBeLessThanOrEqual(0.05);
  });

  it('paces students like a real class: roughly 20–70 minutes each, long breaks reported apart', () => {
    const paperMap = printedClass();
    const demo = demoClass({ assignment, paperMap, students, seed: 11 });
    const strokes = strokesOf(demo.scripts);
    const owner = new Map(students.map((s) => [s.mac, s.studentId]));
    const byStudent = new Map<string, Stroke[]>();
    for (const s of strokes) byStudent.set(owner.get(s.mac!)!, [...(byStudent.get(owner.get(s.mac!)!) ?? []), s]);
    const burden = assignmentBurden(assignment, byStudent);
    const minutes = burden.students.map((s) => s.elapsedMinutes);
    expect(burden.students).toHaveLength(students.length);
    expect(Math.min(...minutes)).toBeGreaterThanOrEqual(12);
    expect(Math.max(...minutes)).toBeLessThanOrEqual(80);
    expect(burden.distribution.p50!).toBeGreaterThanOrEqual(20);
    expect(burden.distribution.p50!).toBeLessThanOrEqual(70);
  });

  it('runs 60× faster with a time scale, every stroke still traced by the pen’s dots', () => {
    const paperMap = printedClass();
    const real = demoClass({ assignment, paperMap, students: students.slice(0, 2), seed: 3 });
    const fast = demoClass({ assignment, paperMap, students: students.slice(0, 2), seed: 3, timeScale: 60 });
    const span = (d: typeof real) => d.scripts[0]!.strokes.reduce((sum, s) => sum + s.pauseBeforeMs + s.durationMs, 0);
    expect(span(fast)).toBeLessThan(span(real) / 20);
    expect(fast.scripts[0]!.strokes.every((s) => s.durationMs >= 8)).toBe(true);
  });
});
