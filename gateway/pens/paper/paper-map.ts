import type { PaperAddress } from '../../../drivers/pen-hub/pen-hub.js';
import { NO_OFFSET, type PatternOrigin } from './units.js';

/** One printed workbook page on dot-pattern paper. */
export interface PrintedPage {
  address: PaperAddress;
  assignmentId: string;
  /** From 1. */
  page: number;
  /** null: a generic copy, whose student is known from the pen. */
  studentId: string | null;
  /** The layout it was printed from: a page from an older layout is not read with the new one. */
  layoutHash: string;
}

export interface PaperMapData {
  version: 1;
  origin: PatternOrigin;
  pages: PrintedPage[];
}

export class PaperMapError extends Error {}

export function addressKey(a: PaperAddress): string {
  return `${a.section}.${a.owner}.${a.note}.${a.page}`;
}

/** Which dot-pattern page address is which printed workbook page. */
export class PaperMap {
  readonly origin: PatternOrigin;
  private readonly byAddress = new Map<string, PrintedPage>();

  constructor(data: { origin?: PatternOrigin; pages?: PrintedPage[] } = {}) {
    this.origin = data.origin ?? NO_OFFSET;
    this.add(data.pages ?? []);
  }

  lookup(address: PaperAddress): PrintedPage | undefined {
    return this.byAddress.get(addressKey(address));
  }

  /** A student's copy of one page (or the generic copy, with studentId null). */
  find(assignmentId: string, page: number, studentId: string | null): PrintedPage | undefined {
    return this.pages().find((p) => p.assignmentId === assignmentId && p.page === page && p.studentId === studentId);
  }

  /** An address printed twice would send one student's writing to another's page: refused. */
  add(pages: PrintedPage[]): void {
    const keys = pages.map((p) => addressKey(p.address));
    const taken = keys.find((k, i) => this.byAddress.has(k) || keys.indexOf(k) !== i);
    if (taken) throw new PaperMapError(`page address ${taken} is already printed`);
    pages.forEach((p, i) => this.byAddress.set(keys[i]!, p));
  }

  pages(): PrintedPage[] {
    return [...this.byAddress.values()];
  }

  toJSON(): PaperMapData {
    return { version: 1, origin: this.origin, pages: this.pages() };
  }
}
