import { open, readFile, rename } from 'node:fs/promises';
import { PaperMap, PaperMapError, type PaperMapData, type PrintedPage } from './paper-map.js';

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why one page entry is unusable, or null when it is fine. */
function pageProblem(p: unknown): string | null {
  if (!isObject(p)) return 'is not an object';
  const a = p.address;
  if (!isObject(a) || !['section', 'owner', 'note', 'page'].every((k) => isCount(a[k]))) return 'has no valid address (section, owner, note, page: whole numbers ≥ 0)';
  if (typeof p.assignmentId !== 'string' || p.assignmentId === '') return 'has no assignmentId';
  if (!isCount(p.page) || p.page < 1) return 'has no page number ≥ 1';
  if (p.studentId !== null && typeof p.studentId !== 'string') return 'has a studentId that is neither a string nor null';
  if (typeof p.layoutHash !== 'string') return 'has no layoutHash';
  return null;
}

function parse(text: string): PaperMapData {
  const data = JSON.parse(text) as unknown;
  if (!isObject(data) || data.version !== 1) throw new Error('not a version 1 paper map');
  const origin = data.origin;
  if (!isObject(origin) || typeof origin.x !== 'number' || typeof origin.y !== 'number') throw new Error('origin must be { x, y } in mm');
  if (!Array.isArray(data.pages)) throw new Error('pages must be a list');
  data.pages.forEach((p, i) => {
    const problem = pageProblem(p);
    if (problem) throw new Error(`pages[${i}] ${problem}`);
  });
  return { version: 1, origin: { x: origin.x, y: origin.y }, pages: data.pages as PrintedPage[] };
}

/** The map saved at `path`; an empty one when there is no file yet (nothing printed). */
export async function loadPaperMap(path: string): Promise<PaperMap> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new PaperMap();
    throw new PaperMapError(`paper map ${path} cannot be read: ${(err as Error).message}`);
  }
  try {
    return new PaperMap(parse(text));
  } catch (err) {
    throw new PaperMapError(`paper map ${path} is corrupt: ${(err as Error).message}`);
  }
}

/** Written whole or not at all: a crash mid-write leaves the previous map, never half of one. */
export async function savePaperMap(path: string, map: PaperMap): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  const file = await open(temp, 'w');
  try {
    await file.writeFile(`${JSON.stringify(map.toJSON(), null, 1)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
}
