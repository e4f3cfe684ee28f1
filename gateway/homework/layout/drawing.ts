import QRCode from 'qrcode';
import type { Rect, TextSlot } from './geometry.js';
import type { Field, PageLayout } from './layout.js';
import { encodePageId } from './page-id.js';

/** The text that differs between copies of the same page layout. */
export interface PageText {
  title: string;
  subject: string;
  /** In the QR code; null on generic copies. */
  studentId: string | null;
  studentName?: string;
  /** Class number, printed before the name. */
  studentNumber?: number;
  className?: string;
}

/**
 * What a printed page is made of, in millimetres. svg.ts and the PDF printer both render this
 * list and nothing else, so the scan synthesiser's pages and the printed ones share every
 * coordinate; only glyph shapes differ (each renderer's own font).
 */
export type Shape =
  /** Solid black, drawn as one path so adjacent QR modules show no seams. */
  | { kind: 'fill'; rects: Rect[] }
  /** Outlined, LINE_WIDTH wide. */
  | { kind: 'box'; rect: Rect; colour: string }
  | { kind: 'circle'; cx: number; cy: number; r: number; colour: string }
  /** One line, cut at the slot's maxWidth; `center` centres it in the slot. */
  | { kind: 'text'; text: string; at: TextSlot; bold: boolean; colour: string; align: 'left' | 'center' };

/**
 * The QR code's dark modules as rectangles filling `box`, each row's runs merged. Error
 * correction M: Q would push long ids to version 10, whose 0.42 mm modules blur at 150 dpi,
 * and a stray pen mark on the code is rarer than a coarse scan.
 */
export function qrModules(payload: string, box: Rect): Rect[] {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  const cell = box.w / modules.size;
  const rects: Rect[] = [];
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size; x++) {
      if (!modules.get(x, y)) continue;
      let run = 1;
      while (x + run < modules.size && modules.get(x + run, y)) run++;
      rects.push({ x: box.x + x * cell, y: box.y + y * cell, w: run * cell, h: cell });
      x += run - 1;
    }
  }
  return rects;
}

function studentLine(text: PageText): string {
  if (text.studentId === null) return 'Name: ______________________';
  const number = text.studentNumber !== undefined ? `${text.studentNumber}. ` : '';
  return `${number}${text.studentName ?? 'Student'} (${text.studentId})`;
}

function fieldShapes(f: Field): Shape[] {
  const shapes: Shape[] = [{ kind: 'text', text: f.label, at: f.labelAt, bold: true, colour: '#000', align: 'left' }];
  if (f.prompt) shapes.push({ kind: 'text', text: f.prompt.text, at: f.prompt.at, bold: false, colour: '#333', align: 'left' });
  for (const b of f.bubbles ?? []) {
    // Option letters sit inside the circle in light grey, as on common answer sheets: the
    // student sees which bubble is which, and the reader counts them into the blank level.
    const letter = b.value.includes(':') ? b.value.split(':')[1]! : b.value;
    const size = 2.6;
    shapes.push({ kind: 'circle', cx: b.cx, cy: b.cy, r: b.r, colour: '#000' });
    shapes.push({ kind: 'text', text: letter, at: { x: b.cx - b.r, baseline: b.cy + 0.36 * size, size, maxWidth: 2 * b.r }, bold: false, colour: '#bbb', align: 'center' });
  }
  // Grey outlines: the teacher's red pen and the student's pencil stand out from them.
  const boxes = f.kind === 'digit-boxes' ? (f.boxes ?? []) : f.kind === 'mark-box' || f.kind === 'answer-area' ? [f.rect] : [];
  for (const rect of boxes) shapes.push({ kind: 'box', rect, colour: '#777' });
  return shapes;
}

/** Everything printed on one copy of a page: fiducials, QR code, header, fields. */
export function drawPage(layout: PageLayout, text: PageText): Shape[] {
  const { frame, header } = layout;
  // The reader picks the generic or the personalised layout by whether the QR code names a student.
  if ((layout.copy === 'generic') !== (text.studentId === null)) throw new Error(`a ${layout.copy} page ${text.studentId === null ? 'needs' : 'cannot carry'} a student id`);
  const half = frame.fiducialSize / 2;
  const payload = encodePageId({ assignmentId: layout.assignmentId, page: layout.page, studentId: text.studentId, layoutHash: layout.layoutHash });
  const details = `${text.subject}${text.className ? ` · class ${text.className}` : ''} · page ${layout.page}/${layout.pageCount}`;
  return [
    { kind: 'fill', rects: frame.fiducials.map((p) => ({ x: p.x - half, y: p.y - half, w: frame.fiducialSize, h: frame.fiducialSize })) },
    { kind: 'fill', rects: qrModules(payload, frame.qr) },
    { kind: 'text', text: text.title, at: header.title, bold: true, colour: '#000', align: 'left' },
    { kind: 'text', text: details, at: header.details, bold: false, colour: '#000', align: 'left' },
    { kind: 'text', text: studentLine(text), at: header.student, bold: false, colour: '#000', align: 'left' },
    ...layout.fields.flatMap(fieldShapes),
  ];
}
