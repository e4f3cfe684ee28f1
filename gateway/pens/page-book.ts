import type { PageSent } from './journal/stroke-codec.js';
import type { PrintedPage } from './paper/paper-map.js';
import { addressKey } from './paper/paper-map.js';
import type { Stroke } from './strokes/stroke.js';

/** One printed page as it is being written: every stroke on it, students' and teachers'. */
export interface PageInProgress {
  printed: PrintedPage;
  /** The writer: the page's own student, or the pen's owner on a generic copy; null while unknown. */
  studentId: string | null;
  /** The student's pen that wrote on it last. */
  pen: string;
  strokes: Stroke[];
  firstAt: number;
  lastAt: number;
  /** How many times its answers went out; the next send carries revision + 1. */
  revision: number;
  /** Written on since its answers last went out. */
  dirty: boolean;
  /** The student's pen has moved on to another page: its answers can go out now. */
  left: boolean;
}

/**
 * The pages pens are writing on, and when each is ready to be read: once the student's pen has
 * left it, or has not written on it for the settle time. A page written on again is read again.
 */
export class PageBook {
  private readonly pages = new Map<string, PageInProgress>();
  /** Per student pen: the page it wrote on last. */
  private readonly penOn = new Map<string, string>();

  add(stroke: Stroke, printed: PrintedPage, writer: { studentId: string | null; teacher: boolean }): PageInProgress {
    const key = addressKey(printed.address);
    let page = this.pages.get(key);
    if (!page) {
      page = { printed, studentId: writer.studentId, pen: stroke.pen, strokes: [], firstAt: stroke.startedAt, lastAt: stroke.endedAt, revision: 0, dirty: false, left: false };
      this.pages.set(key, page);
    }
    page.strokes.push(stroke);
    page.dirty = true;
    page.lastAt = Math.max(page.lastAt, stroke.endedAt);
    if (!writer.teacher) {
      page.studentId ??= writer.studentId;
      page.pen = stroke.pen;
      page.left = false;
      const before = this.penOn.get(stroke.pen);
      if (before && before !== key) {
        const previous = this.pages.get(before);
        if (previous) previous.left = true;
      }
      this.penOn.set(stroke.pen, key);
    }
    return page;
  }

  /** Replaying the journal: the page's answers went out, read from its first `strokes` strokes. */
  restoreSent(sent: PageSent): void {
    const page = this.pages.get(sent.key);
    if (!page) return;
    page.revision = sent.revision;
    page.dirty = page.strokes.length > sent.strokes;
  }

  /**
   * Lets go of pages already sent and not written on since `before`: a box that runs for weeks
   * would otherwise keep every stroke of every page. A student who comes back to such a page
   * starts it afresh. Returns how many were let go.
   */
  forget(before: number): number {
    let forgotten = 0;
    for (const [key, page] of this.pages) {
      if (page.dirty || page.lastAt >= before) continue;
      this.pages.delete(key);
      forgotten++;
    }
    for (const [pen, key] of this.penOn) if (!this.pages.has(key)) this.penOn.delete(pen);
    return forgotten;
  }

  /** Pages to read now; `all` at shutdown, so nothing written is left unsent. */
  due(now: number, settleMs: number, all = false): PageInProgress[] {
    return [...this.pages.values()].filter((p) => p.dirty && (all || p.left || now - p.lastAt >= settleMs));
  }
}
