import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Assignment } from '../../homework/assignments/types.js';
import { openPaperMap, paperMapPath } from './paper-setup.js';

const assignment = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'homework', 'assignments', 'examples', 'fractions-week3.json'), 'utf8')) as Assignment;
const demo = { assignment, roster: { classId: '5b', students: [{ id: 's1', name: 'A' }, { id: 's2', name: 'B' }] } };

describe('opening the paper map on start', () => {
  it('records the example class once on a fresh box, and keeps it across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'paper-'));
    const first = await openPaperMap(dataDir, demo);
    expect(first.problem).toBeNull();
    expect(first.map.pages()).toHaveLength(2 * assignment.pages.length);
    const again = await openPaperMap(dataDir, demo);
    expect(again.map.pages()).toEqual(first.map.pages());
  });

  it('reports a corrupt map, goes on with an empty one and leaves the file as it was', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'paper-'));
    const file = paperMapPath(dataDir);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, '{"version":1,"pages":[{"addr');
    const opened = await openPaperMap(dataDir, demo);
    expect(opened.problem).toMatch(/paper map .*paper-map\.json is corrupt/);
    expect(opened.map.pages()).toEqual([]);
    expect(await readFile(file, 'utf8')).toBe('{"version":1,"pages":[{"addr');
  });
});
