import { readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureLogger, fileHandlePrototype, useTempDirs } from '../../uplink/outbox/test-support/helpers.js';
import { DotTrail } from '../strokes/dot-trail.js';
import type { Stroke } from '../strokes/stroke.js';
import { StrokeJournal, type StrokeJournalOptions } from './stroke-journal.js';

const tempDir = useTempDirs();
afterEach(() => vi.restoreAllMocks());
const HOUR = 3_600_000;

function stroke(n: number, at: number): Stroke {
  const dots = DotTrail.of(Array.from({ length: 40 }, (_, i) => ({ x: (10_000 + n * 50 + i * 7) / 100, y: (20_000 + i * 3) / 100, t: at + i * 8, force: 300 + i })));
  return { pen: `pen-hub-1/${n % 40}`, mac: null, address: { section: 3, owner: 27, note: 603, page: 1 + (n % 3) }, eraser: false, color: null, startedAt: at, endedAt: at + 320, dots, repairs: [], lostDots: 0 };
}

async function openAt(dir: string, clock: { now: number }, extra: Partial<StrokeJournalOptions> = {}) {
  const log = captureLogger();
  const opened = await StrokeJournal.open({ dir, keepMs: 12 * HOUR, logger: log.logger, now: () => clock.now, ...extra });
  return { ...opened, lines: log.lines };
}

describe('pen stroke journal', () => {
  it('gives back every stroke and page sent after a restart, in the order written', async () => {
    const dir = await tempDir();
    const clock = { now: Date.parse('2026-12-02T17:00:00Z') };
    const { journal } = await openAt(dir, clock);
    const written = Array.from({ length: 30 }, (_, n) => stroke(n, clock.now + n * 1_000));
    written.slice(0, 20).forEach((s) => journal.appendStroke(s));
    journal.appendPageSent({ key: '3.27.603.1', revision: 1, strokes: 7 });
    await journal.flush();
    written.slice(20).forEach((s) => journal.appendStroke(s));
    await journal.close();
    const { records } = await openAt(dir, clock);
    expect(records.filter((r) => r.kind === 'stroke').map((r) => r.stroke)).toEqual(written);
    expect(records[20]).toEqual({ kind: 'page-sent', sent: { key: '3.27.603.1', revision: 1, strokes: 7 } });
  });

  it('keeps what is appended while a flush is being written', async () => {
    const dir = await tempDir();
    const clock = { now: Date.parse('2026-12-02T17:00:00Z') };
    const { journal } = await openAt(dir, clock);
    const written = Array.from({ length: 6 }, (_, n) => stroke(n, clock.now + n));
    journal.appendStroke(written[0]!);
    const flushing = journal.flush();
    for (const s of written.slice(1, 5)) {
      journal.appendStroke(s);
      await new Promise((r) => setImmediate(r));
    }
    await flushing;
    journal.appendStroke(written[5]!);
    await journal.close();
    const { records } = await openAt(dir, clock);
    expect(records.map((r) => (r.kind === 'stroke' ? r.stroke : null))).toEqual(written);
  });

  it('a write torn by a crash costs that second’s batch only; the rest comes back and is reported', async () => {
    const dir = await tempDir();
    const clock = { now: Date.parse('2026-12-02T17:00:00Z') };
    const { journal } = await openAt(dir, clock);
    for (let n = 0; n < 10; n++) {
      journal.appendStroke(stroke(n, clock.now + n));
      await journal.flush();
    }
    await journal.close();
    const [file] = await readdir(dir);
    await truncate(join(dir, file!), (await stat(join(dir, file!))).size - 25);
    const { records, lines } = await openAt(dir, clock);
    expect(records.map((r) => (r.kind === 'stroke' ? r.stroke.startedAt - clock.now : -1))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(lines.find((l) => l.msg.includes('damaged records'))).toMatchObject({ tornTail: true });
  });

  it('begins a new file every hour and deletes files whose writing is older than it keeps', async () => {
    const dir = await tempDir();
    const clock = { now: Date.parse('2026-12-02T08:00:00Z') };
    const { journal } = await openAt(dir, clock);
    for (let h = 0; h < 15; h++) {
      journal.appendStroke(stroke(h, clock.now));
      await journal.flush();
      clock.now += HOUR;
    }
    await journal.close();
    // Written 08:00 … 22:00; at 23:00 nothing before 11:00 is kept.
    const { records } = await openAt(dir, clock);
    expect(records.map((r) => (r.kind === 'stroke' ? new Date(r.stroke.startedAt).getUTCHours() : -1))).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22]);
    // The files already deleted: each flush past an hour began a file and dropped the ones wholly too old.
    expect((await readdir(dir)).length).toBeLessThanOrEqual(13);
  });

  it('holds strokes while the card refuses writes, says so once, and writes them when it takes writes again', async () => {
    const dir = await tempDir();
    const clock = { now: Date.parse('2026-12-02T17:00:00Z') };
    const { journal, lines } = await openAt(dir, clock, { maxPendingBytes: 4_000 });
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const write = vi.spyOn(await fileHandlePrototype(dir), 'write').mockRejectedValue(full);
    for (let n = 0; n < 5; n++) {
      journal.appendStroke(stroke(n, clock.now + n));
      await journal.flush();
    }
    expect(lines.filter((l) => l.level === 50)).toHaveLength(1);
    // Tried once, not again at every flush within the retry interval (each try packs all it holds).
    expect(write).toHaveBeenCalledTimes(1);
    expect(lines.find((l) => l.level === 50)!.msg).toMatch(/no space left on device.*kept in memory/);
    // Beyond the memory allowed for it, strokes go unjournaled and are counted.
    for (let n = 5; n < 40; n++) journal.appendStroke(stroke(n, clock.now + n));
    expect(journal.dropped).toBeGreaterThan(0);
    expect(lines.filter((l) => l.msg.includes('no longer journaled'))).toHaveLength(1);
    write.mockRestore();
    await journal.close();
    const { records } = await openAt(dir, clock);
    expect(records).toHaveLength(40 - journal.dropped);
    expect(lines.some((l) => l.msg.includes('writes again'))).toBe(true);
  });

  it('skips a file that is not a journal and keeps going', async () => {
    const dir = await tempDir();
    const clock = { now: Date.parse('2026-12-02T17:00:00Z') };
    await writeFile(join(dir, `${String(clock.now - 1000).padStart(15, '0')}.strokes`), Buffer.from('not a journal at all, just text that someone copied here'));
    const { journal, records, lines } = await openAt(dir, clock);
    expect(records).toEqual([]);
    expect(lines.some((l) => l.msg.includes('damaged records'))).toBe(true);
    journal.appendStroke(stroke(1, clock.now));
    await journal.close();
    expect((await openAt(dir, clock)).records).toHaveLength(1);
    expect((await readFile(join(dir, (await readdir(dir)).sort()[1]!))).length).toBeGreaterThan(50);
  });
});
