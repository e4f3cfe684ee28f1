import PDFDocument from 'pdfkit';
import type { Logger } from '../../log/logger.js';
import type { Assignment, Roster, Student } from '../assignments/types.js';
import { LINE_WIDTH, PAGE } from '../layout/geometry.js';
import { drawPage, type PageText, type Shape } from '../layout/drawing.js';
import { layoutAssignment } from '../layout/layout.js';

export type PrintRequest = ({ copies: 'personalised'; roster: Roster } | { copies: 'generic'; count?: number }) & {
  /** Told about text the built-in font cannot print. */
  log?: Logger;
};

const pt = (mm: number) => (mm * 72) / 25.4;

// pdfkit's built-in Helvetica encodes WinAnsi (Latin-1 plus a few marks) only. Chinese titles and
// names need a CJK font embedded with doc.registerFont, e.g. NotoSansCJK-Regular.ttc from Debian's
// fonts-noto-cjk (or fonts-wqy-microhei); npm's @fontsource/noto-sans-sc ships only WOFF subsets
// split by Unicode range, awkward for one embedded font. Until one is bundled, anything else
// prints as "?", and the student id beside the name still identifies the page.
const UNPRINTABLE = /[^\x20-\x7e\xa0-\xff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]/g;

function drawShape(doc: PDFKit.PDFDocument, s: Shape, unprintable: Set<string>): void {
  switch (s.kind) {
    case 'fill':
      // One path for all the rectangles: a PDF viewer shows no seams between QR modules.
      for (const r of s.rects) doc.rect(pt(r.x), pt(r.y), pt(r.w), pt(r.h));
      doc.fill('#000');
      return;
    case 'box':
      doc.lineWidth(pt(LINE_WIDTH)).rect(pt(s.rect.x), pt(s.rect.y), pt(s.rect.w), pt(s.rect.h)).stroke(s.colour);
      return;
    case 'circle':
      doc.lineWidth(pt(LINE_WIDTH)).circle(pt(s.cx), pt(s.cy), pt(s.r)).stroke(s.colour);
      return;
    case 'text': {
      const text = s.text.replace(UNPRINTABLE, (c) => (unprintable.add(c), '?'));
      const { x, baseline, size, maxWidth } = s.at;
      // A box one and a half lines high lets pdfkit's wrapper print exactly one line and end it
      // with "…" when it is too long; the height also stops it from ever starting a new page.
      doc
        .font(s.bold ? 'Helvetica-Bold' : 'Helvetica')
        .fontSize(pt(size))
        .fillColor(s.colour)
        .text(text, pt(x), pt(baseline), { baseline: 'alphabetic', width: pt(maxWidth), height: pt(1.5 * size), ellipsis: true, align: s.align });
      return;
    }
  }
}

function pageText(assignment: Assignment, student: Student | null): PageText {
  const base = { title: assignment.title, subject: assignment.subject, ...(assignment.class ? { className: assignment.class } : {}) };
  if (!student) return { ...base, studentId: null };
  return { ...base, studentId: student.id, studentName: student.name, ...(student.number !== undefined ? { studentNumber: student.number } : {}) };
}

/**
 * The assignment as a print-ready A4 PDF: every page for each student on the roster (name and
 * number printed, student id in the QR code), or `count` generic copies with a student-number
 * grid. Drawn from the same shapes as svg.ts, millimetres converted to points.
 */
export async function printAssignment(assignment: Assignment, request: PrintRequest): Promise<Buffer> {
  const layouts = layoutAssignment(assignment, { copy: request.copies });
  const students: (Student | null)[] = request.copies === 'personalised' ? request.roster.students : Array.from({ length: request.count ?? 1 }, () => null);
  const doc = new PDFDocument({ autoFirstPage: false, info: { Title: assignment.title, Subject: assignment.subject, Creator: 'classroom gateway' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const unprintable = new Set<string>();
  for (const student of students) {
    for (const layout of layouts) {
      doc.addPage({ size: [pt(PAGE.width), pt(PAGE.height)], margin: 0 });
      for (const shape of drawPage(layout, pageText(assignment, student))) drawShape(doc, shape, unprintable);
    }
  }
  doc.end();
  if (unprintable.size) {
    request.log?.warn({ assignmentId: assignment.id, characters: [...unprintable].join('') }, 'printed "?" for characters the built-in PDF font lacks (a CJK font is not bundled yet)');
  }
  return done;
}
