/** What the QR code of a printed page says: which assignment, page and student, from which layout. */
export interface PageId {
  assignmentId: string;
  page: number;
  /** null on generic copies: the student number is read from the id grid. */
  studentId: string | null;
  layoutHash: string;
}

const PREFIX = 'CG1';
const PART = /^[A-Za-z0-9_-]{1,64}$/;

export function encodePageId(id: PageId): string {
  for (const part of [id.assignmentId, id.studentId ?? '-', id.layoutHash]) {
    if (!PART.test(part) && part !== '-') throw new Error(`page id part ${JSON.stringify(part)} must be letters, digits, _ or -`);
  }
  return [PREFIX, id.assignmentId, id.page, id.studentId ?? '-', id.layoutHash].join(':');
}

/** null for anything that is not one of our page ids (another QR code on the sheet, a damaged one). */
export function decodePageId(text: string): PageId | null {
  const parts = text.split(':');
  if (parts.length !== 5 || parts[0] !== PREFIX) return null;
  const [, assignmentId, page, student, layoutHash] = parts as [string, string, string, string, string];
  if (!PART.test(assignmentId) || !PART.test(layoutHash) || !/^[1-9]\d{0,2}$/.test(page)) return null;
  if (student !== '-' && !PART.test(student)) return null;
  return { assignmentId, page: Number(page), studentId: student === '-' ? null : student, layoutHash };
}
