/**
 * npm run print:cards -- <class.csv> [--out cards.pdf]
 * Prints the class's magic-mirror check-in cards, ten to an A4 sheet: the student's name, class
 * and a QR code the mirror's camera reads. The class id is the CSV's file name, as for homework.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { parseRosterCsv } from '../../gateway/homework/assignments/roster.js';
import { printCheckinCards } from '../../gateway/mirror/checkin/checkin-cards.js';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' } } });
const file = positionals[0];
if (!file) {
  console.error('usage: npm run print:cards -- <class.csv> [--out <file.pdf>]');
  process.exit(2);
}
const classId = basename(file, '.csv');
const roster = parseRosterCsv(readFileSync(file, 'utf8'), classId);
const pdf = await printCheckinCards(roster, classId);
const out = values.out ?? `${classId}-checkin-cards.pdf`;
writeFileSync(out, pdf);
console.log(`wrote ${out}: ${roster.students.length} check-in cards for class ${classId}`);
