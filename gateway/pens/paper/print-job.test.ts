import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../homework/assignments/types.js';
import { layoutAssignment } from '../../homework/layout/layout.js';
import { PaperMap, PaperMapError } from './paper-map.js';
import { recordDotPaperPrint } from './print-job.js';

const assignment = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'homework', 'assignments', 'examples', 'fractions-week3.json'), 'utf8')) as Assignment;
const roster = { classId: '5b', students: [{ id: 's1', name: 'A' }, { id: 's2', name: 'B' }, { id: 's3', name: 'C' }] };

describe('printing on dot-pattern paper', () => {
  it("gives every page of every copy its own address, each copy's pages together, with the layout it was printed from", () => {
    const map = new PaperMap();
    const pool = { section: 3, owner: 27, notes: { from: 1, to: 9 }, pagesPerNote: 5 };
    const printed = recordDotPaperPrint(map, assignment, { copies: 'personalised', roster }, pool);
    expect(printed.map((p) => [p.studentId, p.page, p.address.note, p.address.page])).toEqual([
      ['s1', 1, 1, 1], ['s1', 2, 1, 2], ['s2', 1, 1, 3], ['s2', 2, 1, 4],
      // Five pages to a note: s3's booklet does not straddle two notes.
      ['s3', 1, 2, 1], ['s3', 2, 2, 2],
    ]);
    const layouts = layoutAssignment(assignment, { copy: 'personalised' });
    expect(map.lookup({ section: 3, owner: 27, note: 2, page: 2 })).toMatchObject({ studentId: 's3', page: 2, layoutHash: layouts[1]!.layoutHash });
    const generic = recordDotPaperPrint(map, assignment, { copies: 'generic', count: 1 }, pool);
    expect(generic.map((p) => [p.studentId, p.address.note, p.address.page, p.layoutHash])).toEqual(layoutAssignment(assignment, { copy: 'generic' }).map((l, i) => [null, 2, 3 + i, l.layoutHash]));
  });

  it('refuses a print run the address range cannot hold, recording nothing of it', () => {
    const map = new PaperMap();
    expect(() => recordDotPaperPrint(map, assignment, { copies: 'generic', count: 3 }, { section: 1, owner: 1, notes: { from: 1, to: 1 }, pagesPerNote: 4 })).toThrow(PaperMapError);
    expect(map.pages()).toEqual([]);
  });
});
