import type { Assignment, Roster } from '../../homework/assignments/types.js';
import { layoutAssignment } from '../../homework/layout/layout.js';
import { recordPrintJob, type AddressPool } from './allocate.js';
import { PaperMap, type PrintedPage } from './paper-map.js';

/**
 * The dot-pattern addresses this gateway prints on when settings name none: one section and
 * owner, notes 1–9999. A school with its own Ncode licence sets its own range.
 */
export const DEFAULT_ADDRESS_POOL: AddressPool = { section: 3, owner: 27, notes: { from: 1, to: 9999 }, pagesPerNote: 400 };

export type DotPaperCopies = { copies: 'personalised'; roster: Roster } | { copies: 'generic'; count: number };

/**
 * Records a print run on dot-pattern paper: every page of every copy gets the next free page
 * address, so a pen writing on it is known to be on that student's page (or a generic copy's).
 */
export function recordDotPaperPrint(map: PaperMap, assignment: Assignment, copies: DotPaperCopies, pool: AddressPool = DEFAULT_ADDRESS_POOL): PrintedPage[] {
  const layouts = layoutAssignment(assignment, { copy: copies.copies });
  const students = copies.copies === 'personalised' ? copies.roster.students.map((s) => s.id) : Array.from({ length: copies.count }, () => null);
  const pages = students.flatMap((studentId) => layouts.map((l) => ({ assignmentId: assignment.id, page: l.page, studentId, layoutHash: l.layoutHash })));
  // Each copy's pages stay together in one note, like a booklet. Tried on a copy of the map
  // first: a run that does not fit must not leave half a class recorded.
  const trial = new PaperMap(map.toJSON());
  const printed = students.flatMap((_, i) => recordPrintJob(trial, pool, pages.slice(i * layouts.length, (i + 1) * layouts.length)));
  map.add(printed);
  return printed;
}
