import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../assignments/types.js';
import { layoutAssignment } from '../layout/layout.js';
import { renderPageSvg } from '../layout/svg.js';
import { seeded } from '../../util/random.js';
import { CLEAN_200, degradedStyle, synthesizeScan, type FieldTruth, type ScanStyle } from '../synth/synthesize.js';
import { AssignmentCatalogue, readPage } from './page-reader.js';
import type { PageReading } from './types.js';

const example = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'assignments', 'examples', 'fractions-week3.json'), 'utf8')) as Assignment;
const catalogue = new AssignmentCatalogue();
catalogue.add(example);
const personalised = layoutAssignment(example, { copy: 'personalised' });
const text = (studentId: string | null) => ({ title: example.title, subject: example.subject, studentId, ...(studentId ? { studentName: `Student ${studentId}` } : {}) });

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** A real PNG with its IHDR rewritten to claim another size (CRC fixed, so only the size is a lie). */
function pngClaiming(width: number, height: number, png: Buffer): Buffer {
  const out = Buffer.from(png);
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)), 29);
  return out;
}

/** Handwritten score digits: read by OCR, often left to the teacher; never confidently wrong. */
const HANDWRITTEN = new Set(['q13']);

/** Fields read wrongly, split into those flagged for the teacher and those reported as sure. */
function compare(truth: FieldTruth[], reading: PageReading) {
  const wrong: string[] = [];
  const confidentWrong: string[] = [];
  for (const t of truth) {
    const got = reading.readings.find((r) => r.questionId === t.questionId);
    const same = got && got.state === t.state && (t.state === 'faint' || JSON.stringify(got.value) === JSON.stringify(t.value));
    if (same) continue;
    const line = `${t.questionId}: meant ${t.state} ${JSON.stringify(t.value)}, read ${got?.state} ${JSON.stringify(got?.value)} (${got?.confidence.toFixed(2)})`;
    if (!(HANDWRITTEN.has(t.questionId) && got?.needsReview)) wrong.push(line);
    if (got && !got.needsReview) confidentWrong.push(line);
  }
  return { wrong, confidentWrong };
}

async function scanAndRead(seed: number, page: number, style: (rand: () => number) => ScanStyle) {
  const rand = seeded(seed);
  const { image, truth } = await synthesizeScan(example, personalised[page]!, text(`s${seed}`), style(rand), rand);
  return { truth, reading: await readPage(image, catalogue) };
}

describe('page reader on synthetic scans of our own pages', () => {
  it('reads every field of clean 200 dpi scans, with the page and student from the QR code', async () => {
    for (const seed of [1, 2, 3]) {
      for (const page of [0, 1]) {
        const { truth, reading } = await scanAndRead(seed, page, () => CLEAN_200);
        expect(reading).toMatchObject({ status: 'read', assignmentId: 'fractions-week3', page: page + 1, studentId: `s${seed}` });
        expect(compare(truth, reading).wrong).toEqual([]);
      }
    }
  });

  it('reads turned, skewed, scaled, noisy JPEG scans at 150–300 dpi, and is never sure of a wrong answer', async () => {
    for (const seed of [11, 12, 13, 14, 15, 16]) {
      const { truth, reading } = await scanAndRead(seed, seed % 2, (rand) => degradedStyle(rand, [150, 200, 300][seed % 3]!));
      expect(reading.status).toBe('read');
      expect(compare(truth, reading).confidentWrong).toEqual([]);
      expect(compare(truth, reading).wrong).toEqual([]);
    }
  });

  it('cuts out every answer region when asked', async () => {
    const rand = seeded(21);
    const { image } = await synthesizeScan(example, personalised[1]!, text('s21'), CLEAN_200, rand);
    const reading = await readPage(image, catalogue, { crops: true });
    expect(reading.crops?.map((c) => c.questionId)).toEqual(personalised[1]!.fields.map((f) => f.questionId));
    const free = reading.crops!.find((c) => c.questionId === 'q14')!;
    const meta = await sharp(free.png).metadata();
    // The 148 × 40 mm answer area plus 2 mm around it, at 200 dpi.
    expect(meta.width).toBeCloseTo((152 / 25.4) * 200, -1);
    expect(meta.height).toBeCloseTo((44 / 25.4) * 200, -1);
  });

  it('reads the student number from the bubble grid of a generic copy', async () => {
    const [generic] = layoutAssignment(example, { copy: 'generic' });
    const rand = seeded(99);
    for (let attempt = 0; attempt < 5; attempt++) {
      const { image, truth } = await synthesizeScan(example, generic!, text(null), CLEAN_200, rand);
      const reading = await readPage(image, catalogue);
      const grid = truth.find((t) => t.questionId === 'student-id')!;
      expect(reading.studentId).toBe(grid.state === 'marked' ? grid.value : null);
    }
  });
});

describe('pages that do not fit', () => {
  it('calls a printed page without our QR code unrecognised', async () => {
    const letter = `<svg xmlns="http://www.w3.org/2000/svg" width="1654" height="2339"><rect width="100%" height="100%" fill="#fff"/>${Array.from({ length: 30 }, (_, i) => `<text x="150" y="${300 + i * 60}" font-size="40">A letter to parents about the school trip, line ${i + 1}</text>`).join('')}</svg>`;
    const page = await sharp(Buffer.from(letter)).jpeg().toBuffer();
    expect(await readPage(page, catalogue)).toMatchObject({ status: 'unrecognised', reason: 'no page QR code found' });
  });

  it('calls an empty side blank, through show-through and scanner noise, but not an all-dark scan', async () => {
    const paper = (colour: string, spots = '') => sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="1654" height="2339"><rect width="100%" height="100%" fill="${colour}"/>${spots}</svg>`)).jpeg({ quality: 60 }).toBuffer();
    // Print on the other side shows through as light grey; a few specks of dust stay below the ink share.
    const showThrough = Array.from({ length: 20 }, (_, i) => `<rect x="200" y="${300 + i * 90}" width="1200" height="30" fill="#d8d8d8"/>`).join('') + '<circle cx="500" cy="900" r="4" fill="#000"/>';
    expect(await readPage(await paper('#f4f4f0', showThrough), catalogue)).toMatchObject({ status: 'blank' });
    expect(await readPage(await paper('#111'), catalogue)).toMatchObject({ status: 'unrecognised' });
  });

  it('calls a page of an unknown assignment, or of another version of it, unrecognised', async () => {
    const other = structuredClone(example);
    other.id = 'not-loaded';
    const [page] = layoutAssignment(other);
    const unknown = await sharp(Buffer.from(renderPageSvg(page!, text('s1'), 150))).png().toBuffer();
    expect(await readPage(unknown, catalogue)).toMatchObject({ status: 'unrecognised', reason: 'unknown assignment "not-loaded"' });
    const changed = structuredClone(example);
    changed.pages[0]!.questions[0]!.options = ['A', 'B', 'C'];
    const [old] = layoutAssignment(changed);
    const stale = await sharp(Buffer.from(renderPageSvg(old!, text('s1'), 150))).png().toBuffer();
    expect((await readPage(stale, catalogue)).reason).toMatch(/another version/);
  });

  it('rejects corrupt images and decompression bombs without decoding them', async () => {
    expect(await readPage(Buffer.from('definitely not an image'), catalogue)).toMatchObject({ status: 'rejected' });
    const good = await sharp({ create: { width: 100, height: 100, channels: 3, background: '#fff' } }).jpeg().toBuffer();
    expect(await readPage(good.subarray(0, good.length / 2), catalogue)).toMatchObject({ status: 'rejected' });
    // A small PNG whose header claims 40000 × 40000 pixels: refused from its header.
    const bomb = pngClaiming(40_000, 40_000, await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } }).png().toBuffer());
    const started = Date.now();
    const reading = await readPage(bomb, catalogue);
    expect(reading).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/pixel limit/i) });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
