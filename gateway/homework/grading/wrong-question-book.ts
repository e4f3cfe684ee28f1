import PDFDocument from 'pdfkit';
import type { Assignment, Question } from '../assignments/types.js';
import type { ReportSnapshot } from './class-report.js';

const MM = 72 / 25.4;

function keyText(q: Question): string {
  if (q.answer === undefined) return 'marked by the teacher';
  if (q.type === 'true-false') return q.answer ? 'True' : 'False';
  return Array.isArray(q.answer) ? q.answer.join(', ') : String(q.answer);
}

/**
 * A student's wrong-question book: every question they got wrong (or that waits for the
 * teacher) with the key, the knowledge points and the crop of what they wrote, ready to print.
 */
export function wrongQuestionBook(assignment: Assignment, report: ReportSnapshot, studentId: string, crops: Map<string, Buffer> = new Map()): Promise<Buffer> {
  const student = report.students.find((s) => s.studentId === studentId);
  if (!student) throw new Error(`no pages of student ${studentId} in the report of ${assignment.id}`);
  const questions = new Map(assignment.pages.flatMap((p) => p.questions).map((q) => [q.id, q]));
  const doc = new PDFDocument({ size: 'A4', margin: 20 * MM, info: { Title: `${assignment.title} — wrong questions of ${student.name ?? studentId}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(16).text(`${assignment.title}: questions to practise`);
  doc.font('Helvetica').fontSize(11).text(`${student.name ?? ''} (${studentId}) · ${assignment.subject} · score ${student.score} of ${student.maxScore}`);
  doc.moveDown();
  const entries = [...student.wrong.map((id) => [id, 'wrong'] as const), ...student.needsReview.map((id) => [id, 'to be checked by the teacher'] as const)];
  if (entries.length === 0) doc.text('No wrong questions. Well done!');
  for (const [id, why] of entries) {
    const q = questions.get(id);
    if (!q) continue;
    if (doc.y > doc.page.height - 70 * MM) doc.addPage();
    doc.font('Helvetica-Bold').fontSize(12).text(`Question ${q.label}${q.prompt ? `: ${q.prompt}` : ''}`);
    doc.font('Helvetica').fontSize(10).text(`${why} · answer: ${keyText(q)}${q.tags?.length ? ` · practise: ${q.tags.join(', ')}` : ''}`);
    const crop = crops.get(id);
    if (crop) doc.image(crop, { fit: [170 * MM, 45 * MM] });
    doc.moveDown();
  }
  doc.end();
  return done;
}
