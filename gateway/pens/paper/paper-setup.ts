import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Assignment, Roster } from '../../homework/assignments/types.js';
import { loadPaperMap, savePaperMap } from './paper-map-file.js';
import { PaperMap } from './paper-map.js';
import { recordDotPaperPrint } from './print-job.js';

export function paperMapPath(dataDir: string): string {
  return join(dataDir, 'pens', 'paper-map.json');
}

/**
 * The gateway's paper map. On a first start with the example class, its personalised pages are
 * recorded as printed on dot-pattern paper, so the simulated pens have pages to write on. A map
 * that cannot be read is reported and left untouched (it is the only record of what was
 * printed); the gateway goes on with an empty one.
 */
export async function openPaperMap(dataDir: string, demo?: { assignment: Assignment; roster: Roster }): Promise<{ map: PaperMap; problem: string | null }> {
  const path = paperMapPath(dataDir);
  let map: PaperMap;
  try {
    map = await loadPaperMap(path);
  } catch (err) {
    return { map: new PaperMap(), problem: (err as Error).message };
  }
  if (demo && !map.pages().some((p) => p.assignmentId === demo.assignment.id)) {
    recordDotPaperPrint(map, demo.assignment, { copies: 'personalised', roster: demo.roster });
    await mkdir(dirname(path), { recursive: true });
    await savePaperMap(path, map);
  }
  return { map, problem: null };
}
