import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRosterCsv } from '../assignments/roster.js';
import type { Assignment } from '../assignments/types.js';
import { AssignmentCatalogue, readPage } from '../read/page-reader.js';
import { printAssignment } from './print-assignment.js';

const examples = join(import.meta.dirname, '..', 'assignments', 'examples');
const example = JSON.parse(readFileSync(join(examples, 'fractions-week3.json'), 'utf8')) as Assignment;
const roster = parseRosterCsv(readFileSync(join(examples, 'class-5b.csv'), 'utf8'), '5b');
const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

describe('printing an assignment', () => {
  it('makes one personalised copy of every page per student', async () => {
    const pdf = await printAssignment(example, { copies: 'personalised', roster });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pageCount(pdf)).toBe(roster.students.length * example.pages.length);
  });

  it('makes generic copies with a student-number grid', async () => {
    const pdf = await printAssignment(example, { copies: 'generic', count: 3 });
    expect(pageCount(pdf)).toBe(3 * example.pages.length);
  });

  it('prints pages the reader recognises: the printed PDF, rasterised by poppler, reads back as that student and page', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'print-'));
    const pdfFile = join(dir, 'copy.pdf');
    writeFileSync(pdfFile, await printAssignment(example, { copies: 'personalised', roster: { students: [roster.students[2]!] } }));
    execFileSync('pdftoppm', ['-r', '150', '-gray', '-png', '-f', '2', '-l', '2', pdfFile, join(dir, 'page')]);
    const catalogue = new AssignmentCatalogue();
    catalogue.add(example);
    const reading = await readPage(readFileSync(join(dir, 'page-2.png')), catalogue);
    expect(reading).toMatchObject({ status: 'read', assignmentId: example.id, page: 2, studentId: roster.students[2]!.id });
    expect(reading.readings.find((r) => r.questionId === 'q15')).toMatchObject({ state: 'blank' });
  });
});
