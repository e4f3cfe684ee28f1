import type { PageSource, SimulatedPage } from '../../drivers/scanner/simulated-scanner.js';
import type { Assignment, Roster } from './assignments/types.js';
import { layoutAssignment } from './layout/layout.js';
import { seeded } from '../util/random.js';
import { CLEAN_200, degradedStyle, synthesizeScan } from './synth/synthesize.js';

/**
 * What the simulated scanner feeds when there is no hardware: the class's filled-in pages of an
 * assignment, one student after another, most scanned cleanly, some turned and noisy.
 */
export function demoPageSource(assignment: Assignment, roster: Roster): PageSource {
  const layouts = layoutAssignment(assignment, { copy: 'personalised' });
  let batch = 0;
  return async function* (_batchId, request): AsyncIterable<SimulatedPage> {
    const rand = seeded(++batch * 7919);
    let sent = 0;
    for (const student of roster.students) {
      for (const layout of layouts) {
        if (request.maxPages !== undefined && sent >= request.maxPages) return;
        const style = rand() < 0.8 ? CLEAN_200 : degradedStyle(rand, 200);
        const { image } = await synthesizeScan(assignment, layout, { title: assignment.title, subject: assignment.subject, studentId: student.id, studentName: student.name, ...(assignment.class ? { className: assignment.class } : {}) }, style, rand);
        sent++;
        yield { image, format: 'jpeg', dpi: style.dpi };
      }
    }
  };
}
