/**
 * npm run print -- <assignment.json> [--roster class.csv | --generic N] [--out file.pdf] [--dot-paper <data dir>]
 * Prints an assignment's workbook pages for the class, ready for the school's printer. With
 * --dot-paper the pages are for smart pens: each printed page gets the next free dot-pattern
 * page address, recorded in the gateway's paper map (<data dir>/pens/paper-map.json), so the
 * pens' writing is placed on the right student's page and question.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { parseRosterCsv } from '../../gateway/homework/assignments/roster.js';
import type { Assignment } from '../../gateway/homework/assignments/types.js';
import { printAssignment } from '../../gateway/homework/print/print-assignment.js';
import { loadPaperMap, savePaperMap } from '../../gateway/pens/paper/paper-map-file.js';
import { paperMapPath } from '../../gateway/pens/paper/paper-setup.js';
import { recordDotPaperPrint, type DotPaperCopies } from '../../gateway/pens/paper/print-job.js';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { roster: { type: 'string' }, generic: { type: 'string' }, out: { type: 'string' }, 'dot-paper': { type: 'string' } } });
const file = positionals[0];
if (!file || (!values.roster && !values.generic)) {
  console.error('usage: npm run print -- <assignment.json> (--roster <class.csv> | --generic <copies>) [--out <file.pdf>]');
  process.exit(2);
}
const assignment = JSON.parse(readFileSync(file, 'utf8')) as Assignment;
const copies: DotPaperCopies = values.roster
  ? { copies: 'personalised', roster: parseRosterCsv(readFileSync(values.roster, 'utf8'), basename(values.roster, '.csv')) }
  : { copies: 'generic', count: Number(values.generic) };
const pdf = await printAssignment(assignment, copies);
const out = values.out ?? `${assignment.id}.pdf`;
writeFileSync(out, pdf);
console.log(`wrote ${out} (${pdf.length} bytes)`);
if (values['dot-paper']) {
  const mapFile = paperMapPath(values['dot-paper']);
  const map = await loadPaperMap(mapFile);
  const printed = recordDotPaperPrint(map, assignment, copies);
  mkdirSync(dirname(mapFile), { recursive: true });
  await savePaperMap(mapFile, map);
  const [first, last] = [printed[0]!.address, printed.at(-1)!.address];
  console.log(`recorded ${printed.length} dot-pattern pages in ${mapFile}: section ${first.section}, owner ${first.owner}, note ${first.note} page ${first.page} to note ${last.note} page ${last.page}; print on that paper, in this order`);
}
