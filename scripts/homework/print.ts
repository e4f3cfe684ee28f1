/**
 * npm run print -- <assignment.json> [--roster class.csv | --generic N] [--out file.pdf]
 * Prints an assignment's workbook pages for the class, ready for the school's printer.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { parseRosterCsv } from '../../gateway/homework/assignments/roster.js';
import type { Assignment } from '../../gateway/homework/assignments/types.js';
import { printAssignment } from '../../gateway/homework/print/print-assignment.js';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { roster: { type: 'string' }, generic: { type: 'string' }, out: { type: 'string' } } });
const file = positionals[0];
if (!file || (!values.roster && !values.generic)) {
  console.error('usage: npm run print -- <assignment.json> (--roster <class.csv> | --generic <copies>) [--out <file.pdf>]');
  process.exit(2);
}
const assignment = JSON.parse(readFileSync(file, 'utf8')) as Assignment;
const pdf = values.roster
  ? await printAssignment(assignment, { copies: 'personalised', roster: parseRosterCsv(readFileSync(values.roster, 'utf8'), basename(values.roster, '.csv')) })
  : await printAssignment(assignment, { copies: 'generic', count: Number(values.generic) });
const out = values.out ?? `${assignment.id}.pdf`;
writeFileSync(out, pdf);
console.log(`wrote ${out} (${pdf.length} bytes)`);
