import { ASSIGNMENT_ID, STUDENT_ID } from '../assignments/ids.js';

/**
 * What the QR code of a printed page says: which assignment, page and student, and from which
 * layout (its hash stands for the layout version, so no version counter has to be kept).
 */
export interface PageId {
  assignmentId: string;
  /** From 1. */
  page: number;
  /** null on generic copies: the student number is read from the grid. */
  studentId: string | null;
  layoutHash: string;
}

// Bump the prefix if the payload's shape ever changes; readers refuse what they do not know.
const PREFIX = 'CG1';
const PAGE = /^[1-9]\d{0,2}$/;
const HASH = /^[0-9a-f]{8}$/;

/** `CG1:<assignment>:<page>:<student or ->:<layout hash>`: short, so the QR code stays coarse. */
export function encodePageId(id: PageId): string {
  const problems = [
    !ASSIGNMENT_ID.test(id.assignmentId) && `assignment id ${JSON.stringify(id.assignmentId)}`,
    !PAGE.test(String(id.page)) && `page ${id.page} (1–999)`,
    id.studentId !== null && !STUDENT_ID.test(id.studentId) && `student id ${JSON.stringify(id.studentId)}`,
    !HASH.test(id.layoutHash) && `layout hash ${JSON.stringify(id.layoutHash)}`,
  ].filter(Boolean);
  if (problems.length) throw new Error(`cannot encode a page id with ${problems.join(', ')}`);
  return [PREFIX, id.assignmentId, id.page, id.studentId ?? '-', id.layoutHash].join(':');
}

/** null for anything that is not one of our page ids (another QR code on the sheet, a damaged one). */
export function decodePageId(text: string): PageId | null {
  const parts = text.split(':');
  if (parts.length !== 5 || parts[0] !== PREFIX) return null;
  const [, assignmentId, page, student, layoutHash] = parts as [string, string, string, string, string];
  if (!ASSIGNMENT_ID.test(assignmentId) || !PAGE.test(page) || !HASH.test(layoutHash)) return null;
  if (student !== '-' && !STUDENT_ID.test(student)) return null;
  return { assignmentId, page: Number(page), studentId: student === '-' ? null : student, layoutHash };
}
