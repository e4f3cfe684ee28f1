import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { Assignment, Roster, Student } from '../assignments/types.js';
import { FIDUCIAL_SIZE, FIDUCIALS, PAGE, QR_BOX } from '../layout/geometry.js';
import { layoutAssignment, type Field, type PageLayout } from '../layout/layout.js';
import { encodePageId } from '../layout/page-id.js';

export type PrintRequest = { copies: 'personalised'; roster: Roster } | { copies: 'generic'; count?: number };

const PT = 72 / 25.4;
const pt = (mm: number) => mm * PT;

// Helvetica covers Latin text only; Chinese titles and names need a CJK font embedded with
// doc.registerFont (e.g. Noto Sans CJK from Debian's fonts-noto-cjk).

function drawField(doc: PDFKit.PDFDocument, f: Field, prompt: string | undefined): void {
  if (prompt) {
    // Beside the answer boxes, or inside the top of a free answer area (which is never read).
    const [px, py] = f.kind === 'answer-area' ? [f.rect.x + 2, f.rect.y + 2] : [f.rect.x + f.rect.w + 5, f.rect.y + 1];
    doc.fillColor('#333333').font('Helvetica').fontSize(9).text(prompt, pt(px), pt(py), { width: pt(188 - px), lineBreak: true, height: pt(10) });
  }
  const [lx, ly] = f.kind === 'id-grid' ? [f.rect.x, f.rect.y - 5] : [f.rect.x - 16, f.rect.y + 1];
  doc.fillColor('#000').font('Helvetica-Bold').fontSize(10).text(f.label, pt(lx), pt(ly), { lineBreak: false });
  doc.font('Helvetica');
  for (const b of f.bubbles ?? []) {
    doc.lineWidth(pt(0.3)).strokeColor('#000').circle(pt(b.cx), pt(b.cy), pt(b.r)).stroke();
    const letter = b.value.includes(':') ? b.value.split(':')[1]! : b.value;
    doc.fillColor('#bbbbbb').fontSize(7).text(letter, pt(b.cx - b.r), pt(b.cy - 1.2), { width: pt(2 * b.r), align: 'center', lineBreak: false });
  }
  for (const r of f.kind === 'digit-boxes' ? (f.boxes ?? []) : f.kind === 'mark-box' || f.kind === 'answer-area' ? [f.rect] : []) {
    doc.lineWidth(pt(0.3)).strokeColor('#777777').rect(pt(r.x), pt(r.y), pt(r.w), pt(r.h)).stroke();
  }
}

function drawPage(doc: PDFKit.PDFDocument, assignment: Assignment, layout: PageLayout, student: Student | null): void {
  doc.addPage({ size: 'A4', margin: 0 });
  doc.fillColor('#000');
  for (const p of FIDUCIALS) doc.rect(pt(p.x - FIDUCIAL_SIZE / 2), pt(p.y - FIDUCIAL_SIZE / 2), pt(FIDUCIAL_SIZE), pt(FIDUCIAL_SIZE)).fill();
  const qr = QRCode.create(encodePageId({ assignmentId: assignment.id, page: layout.page, studentId: student?.id ?? null, layoutHash: layout.layoutHash }), { errorCorrectionLevel: 'M' });
  const cell = QR_BOX.w / qr.modules.size;
  for (let y = 0; y < qr.modules.size; y++) for (let x = 0; x < qr.modules.size; x++) if (qr.modules.get(x, y)) doc.rect(pt(QR_BOX.x + x * cell), pt(QR_BOX.y + y * cell), pt(cell), pt(cell)).fill();
  doc.font('Helvetica-Bold').fontSize(14).text(assignment.title, pt(22), pt(16), { lineBreak: false });
  doc.font('Helvetica').fontSize(10).text(`${assignment.subject}${assignment.class ? ` · class ${assignment.class}` : ''} · page ${layout.page}/${layout.pageCount}`, pt(22), pt(25), { lineBreak: false });
  const who = student ? `${student.number !== undefined ? `${student.number}. ` : ''}${student.name} (${student.id})` : 'Name: ______________________';
  doc.text(who, pt(22), pt(33), { lineBreak: false });
  const prompts = new Map(assignment.pages.flatMap((p) => p.questions).map((q) => [q.id, q.prompt]));
  for (const f of layout.fields) drawField(doc, f, prompts.get(f.questionId));
}

/**
 * The assignment as a print-ready A4 PDF: a personalised copy of every page for each student on
 * the roster (name and id in the QR code), or generic copies with a student-number grid.
 */
export function printAssignment(assignment: Assignment, request: PrintRequest): Promise<Buffer> {
  const copy = request.copies;
  const layouts = layoutAssignment(assignment, { copy });
  const doc = new PDFDocument({ autoFirstPage: false, size: [pt(PAGE.width), pt(PAGE.height)], info: { Title: assignment.title, Subject: assignment.subject, Creator: 'classroom gateway' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const students: (Student | null)[] = request.copies === 'personalised' ? request.roster.students : Array.from({ length: request.count ?? 1 }, () => null);
  for (const student of students) for (const layout of layouts) drawPage(doc, assignment, layout, student);
  doc.end();
  return done;
}
