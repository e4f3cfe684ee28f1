import PDFDocument from 'pdfkit';
import sharp from 'sharp';
import type { Roster } from '../../homework/assignments/types.js';
import { qrModules } from '../../homework/layout/drawing.js';
import { checkinCodeText } from './checkin-code.js';

const MM = 72 / 25.4;
/** ID-1, a bank card: fits a lanyard sleeve and a wallet. */
const CARD = { w: 85.6, h: 54 };
const A4 = { w: 210, h: 297 };
const COLUMNS = 2;
const ROWS = 5;
const QR_MM = 40;

/**
 * The class's check-in cards, ten to an A4 sheet, cut along the grey lines: name, class and a
 * QR code of 40 mm, which a 640×480 camera reads from about a metre.
 */
export async function printCheckinCards(roster: Roster, classId: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 0, info: { Title: `Magic mirror check-in cards: ${classId}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const left = (A4.w - COLUMNS * CARD.w) / 2;
  const top = (A4.h - ROWS * CARD.h) / 2;
  roster.students.forEach((student, i) => {
    const slot = i % (COLUMNS * ROWS);
    if (i > 0 && slot === 0) doc.addPage();
    const x = left + (slot % COLUMNS) * CARD.w;
    const y = top + Math.floor(slot / COLUMNS) * CARD.h;
    doc.lineWidth(0.3).strokeColor('#bbbbbb').rect(x * MM, y * MM, CARD.w * MM, CARD.h * MM).stroke();
    const qr = { x: x + CARD.w - QR_MM - 7, y: y + (CARD.h - QR_MM) / 2, w: QR_MM, h: QR_MM };
    for (const r of qrModules(checkinCodeText({ classId, studentId: student.id }), qr)) doc.rect(r.x * MM, r.y * MM, r.w * MM, r.h * MM).fill('#000');
    const textWidth = (CARD.w - QR_MM - 17) * MM;
    doc.fillColor('#000').font('Helvetica-Bold').fontSize(13).text(student.name, (x + 5) * MM, (y + 14) * MM, { width: textWidth });
    doc.font('Helvetica').fontSize(9).fillColor('#333').text(`${classId} · ${student.id}`, (x + 5) * MM, (y + 30) * MM, { width: textWidth });
    doc.fontSize(7).fillColor('#777').text('Magic mirror check-in', (x + 5) * MM, (y + CARD.h - 10) * MM, { width: textWidth });
  });
  doc.end();
  return done;
}

/** One card's QR code as a picture (white quiet zone of four modules), for demos and tests. */
export async function checkinCardImage(classId: string, studentId: string, sizePx: number): Promise<Buffer> {
  const box = { x: 4, y: 4, w: 100, h: 100 };
  const rects = qrModules(checkinCodeText({ classId, studentId }), box)
    .map((r) => `<rect x="${r.x}" y="${r.y}" width="${r.w + 0.02}" height="${r.h + 0.02}"/>`)
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${sizePx}" height="${sizePx}" viewBox="0 0 108 108" shape-rendering="crispEdges"><rect width="108" height="108" fill="#fff"/><g fill="#000">${rects}</g></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
