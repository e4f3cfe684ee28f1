import type { PaperAddress } from '../../../drivers/pen-hub/pen-hub.js';
import { PaperMapError, type PaperMap, type PrintedPage } from './paper-map.js';

/** The page addresses this school's licence covers: one section and owner, a range of notes (books). */
export interface AddressPool {
  section: number;
  owner: number;
  notes: { from: number; to: number };
  /** Pages per note, numbered from 1. */
  pagesPerNote: number;
}

/**
 * The first `count` consecutive free pages within one note: a print job's pages stay together,
 * so a booklet's pages are neighbours in the pattern as on paper.
 */
export function nextFreeRun(map: PaperMap, pool: AddressPool, count: number): PaperAddress[] {
  if (count < 1 || count > pool.pagesPerNote) throw new PaperMapError(`a run of ${count} pages does not fit a note of ${pool.pagesPerNote} pages`);
  const used = new Map<number, Set<number>>();
  for (const { address: a } of map.pages()) {
    if (a.section !== pool.section || a.owner !== pool.owner) continue;
    if (!used.has(a.note)) used.set(a.note, new Set());
    used.get(a.note)!.add(a.page);
  }
  for (let note = pool.notes.from; note <= pool.notes.to; note++) {
    const taken = used.get(note) ?? new Set<number>();
    let runStart = 1;
    for (let page = 1; page <= pool.pagesPerNote; page++) {
      if (taken.has(page)) {
        runStart = page + 1;
        continue;
      }
      if (page - runStart + 1 === count) {
        return Array.from({ length: count }, (_, i) => ({ section: pool.section, owner: pool.owner, note, page: runStart + i }));
      }
    }
  }
  throw new PaperMapError(`no run of ${count} free pages left in notes ${pool.notes.from}–${pool.notes.to} (section ${pool.section}, owner ${pool.owner})`);
}

/** Gives a print job's pages their addresses and records them in the map. */
export function recordPrintJob(map: PaperMap, pool: AddressPool, pages: Omit<PrintedPage, 'address'>[]): PrintedPage[] {
  const addresses = nextFreeRun(map, pool, pages.length);
  const printed = pages.map((p, i) => ({ ...p, address: addresses[i]! }));
  map.add(printed);
  return printed;
}
