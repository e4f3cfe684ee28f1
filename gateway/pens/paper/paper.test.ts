import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nextFreeRun, recordPrintJob, type AddressPool } from './allocate.js';
import { loadPaperMap, savePaperMap } from './paper-map-file.js';
import { PaperMap, PaperMapError, type PrintedPage } from './paper-map.js';
import { MM_PER_NCODE, mmToNcode, ncodeToMm } from './units.js';

const POOL: AddressPool = { section: 3, owner: 27, notes: { from: 100, to: 101 }, pagesPerNote: 4 };
const job = (n: number, studentId: string | null = 's1') => Array.from({ length: n }, (_, i) => ({ assignmentId: 'fractions-week3', page: i + 1, studentId, layoutHash: 'abcd1234' }));

describe('Ncode units', () => {
  it('converts 56/600 inch units to millimetres and back, with the pattern origin offset', () => {
    expect(MM_PER_NCODE).toBeCloseTo(2.3707, 4);
    expect(ncodeToMm({ x: 10, y: 20 })).toEqual({ x: 10 * MM_PER_NCODE, y: 20 * MM_PER_NCODE });
    const origin = { x: 5, y: -3 };
    const back = mmToNcode(ncodeToMm({ x: 12.34, y: 56.78 }, origin), origin);
    expect(back.x).toBeCloseTo(12.34, 9);
    expect(back.y).toBeCloseTo(56.78, 9);
  });
});

describe('paper map', () => {
  it('looks printed pages up by address', () => {
    const map = new PaperMap();
    const printed = recordPrintJob(map, POOL, job(2));
    expect(printed.map((p) => p.address)).toEqual([
      { section: 3, owner: 27, note: 100, page: 1 },
      { section: 3, owner: 27, note: 100, page: 2 },
    ]);
    expect(map.lookup({ section: 3, owner: 27, note: 100, page: 2 })).toMatchObject({ page: 2, studentId: 's1' });
    expect(map.lookup({ section: 3, owner: 27, note: 100, page: 3 })).toBeUndefined();
    expect(map.find('fractions-week3', 1, 's1')).toBe(printed[0]);
  });

  it('allocates the next free run within one note, skipping holes too small for the job', () => {
    const map = new PaperMap();
    map.add([{ ...job(1)[0]!, address: { section: 3, owner: 27, note: 100, page: 2 } }]);
    expect(nextFreeRun(map, POOL, 1)[0]!.page).toBe(1);
    expect(nextFreeRun(map, POOL, 2).map((a) => [a.note, a.page])).toEqual([[100, 3], [100, 4]]);
    expect(nextFreeRun(map, POOL, 3).map((a) => [a.note, a.page])).toEqual([[101, 1], [101, 2], [101, 3]]);
  });

  it('refuses a job when the pool is used up, and an address printed twice', () => {
    const map = new PaperMap();
    recordPrintJob(map, POOL, job(4, 'a'));
    recordPrintJob(map, POOL, job(3, 'b'));
    expect(() => recordPrintJob(map, POOL, job(2, 'c'))).toThrow(/no run of 2 free pages/);
    expect(() => map.add([map.pages()[0]!])).toThrow(PaperMapError);
  });

  it('saves atomically and loads back; a missing file is an empty map', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paper-map-'));
    const path = join(dir, 'paper-map.json');
    expect((await loadPaperMap(path)).pages()).toEqual([]);
    const map = new PaperMap({ origin: { x: 4, y: 6 } });
    recordPrintJob(map, POOL, job(3, null));
    await savePaperMap(path, map);
    expect(await readdir(dir)).toEqual(['paper-map.json']);
    const loaded = await loadPaperMap(path);
    expect(loaded.toJSON()).toEqual(map.toJSON());
  });

  it('names the file and the problem when it is corrupt', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paper-map-'));
    const path = join(dir, 'paper-map.json');
    await writeFile(path, '{"version":1,"origin":{"x":0,"y":0},"pa');
    await expect(loadPaperMap(path)).rejects.toThrow(new RegExp(`paper map ${path} is corrupt`));
    const bad: unknown[] = [{ ...job(1)[0]!, address: { section: 3, owner: 27, note: 1 } } as unknown as PrintedPage];
    await writeFile(path, JSON.stringify({ version: 1, origin: { x: 0, y: 0 }, pages: bad }));
    await expect(loadPaperMap(path)).rejects.toThrow(/pages\[0\] has no valid address/);
  });
});
