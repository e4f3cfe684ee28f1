import type { PageLayout } from '../../homework/layout/layout.js';
import { fieldOf } from '../answers/field-strokes.js';
import { toInk } from '../answers/ink.js';
import type { PaperMap } from '../paper/paper-map.js';
import type { Stroke } from '../strokes/stroke.js';
import type { PlacedStroke } from './class-progress.js';

export interface Placement {
  paperMap: PaperMap;
  /** The layout a printed page was made from; undefined when the assignment is unknown here. */
  layoutOf(assignmentId: string, page: number, copy: 'personalised' | 'generic'): PageLayout | undefined;
  /** Who holds which pen (by MAC): how generic copies, which name no student, are attributed. */
  penOwner(mac: string | null): string | null;
  /** Teachers' pens: their marking on a student's page is not the student's writing. */
  isTeacherPen(mac: string | null): boolean;
}

/** Whose stroke it is, on which page and in which question; null for paper we did not print or an unknown writer. */
export function placeStroke(stroke: Stroke, where: Placement): PlacedStroke | null {
  if (stroke.eraser || where.isTeacherPen(stroke.mac)) return null;
  const printed = where.paperMap.lookup(stroke.address);
  if (!printed) return null;
  const studentId = printed.studentId ?? where.penOwner(stroke.mac);
  if (!studentId) return null;
  const layout = where.layoutOf(printed.assignmentId, printed.page, printed.studentId === null ? 'generic' : 'personalised');
  const questionId = layout && layout.layoutHash === printed.layoutHash ? (fieldOf(layout, toInk(stroke, where.paperMap.origin))?.questionId ?? null) : null;
  return { studentId, assignmentId: printed.assignmentId, page: printed.page, questionId, startedAt: stroke.startedAt, endedAt: stroke.endedAt };
}
