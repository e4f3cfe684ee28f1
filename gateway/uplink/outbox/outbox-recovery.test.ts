import { readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../log/logger.js';
import { Outbox, type OutboxOptions } from './outbox.js';
import { scanFrames } from './segment-file.js';
import { captureLogger, prng, useTempDirs } from './test-support/helpers.js';
import type { Envelope, OutboxRecord } from './types.js';

const tempDir = useTempDirs();
const opened: Outbox[] = [];
afterEach(async () => {
  for (const outbox of opened.splice(0).reverse()) await outbox.close();
});

async function openOutbox(dir: string, overrides: Partial<OutboxOptions> = {}): Promise<Outbox> {
  const outbox = await Outbox.open({ dir, logger: silentLogger(), ...overrides });
  opened.push(outbox);
  return outbox;
}

const envelope = (r: OutboxRecord): Envelope => JSON.parse(r.payload.toString('utf8')) as Envelope;
const segmentFiles = async (dir: string): Promise<string[]> => (await readdir(dir)).filter((f) => f.endsWith('.seg')).sort();

async function readAll(outbox: Outbox): Promise<OutboxRecord[]> {
  const all: OutboxRecord[] = [];
  for (let from = 0; ; ) {
    const page = await outbox.read(from, 1000);
    if (page.length === 0) return all;
    all.push(...page);
    from = page.at(-1)!.lsn + 1;
  }
}

/** Offsets and ends of the frames of an intact segment file. */
function frames(buf: Buffer): Array<{ offset: number; end: number }> {
  const out: Array<{ offset: number; end: number }> = [];
  scanFrames(buf, (body, offset) => out.push({ offset, end: offset + 8 + body.length }));
  return out;
}

describe('Outbox restart and crash recovery', () => {
  it('after an instance is dropped without close, every resolved enqueue is back and only unsaved acks replay', async () => {
    const dir = await tempDir();
    const first = await openOutbox(dir, { ackFlushCount: 10, ackFlushMs: 60_000 });
    const lsns: number[] = [];
    for (let i = 1; i <= 50; i++) lsns.push((await first.enqueue({ stream: 'pen', schema: 'p/1', data: i, priority: 'event' })).lsn);
    for (const lsn of lsns.slice(0, 20)) first.ack(lsn);
    await vi.waitFor(async () => expect(JSON.parse(await readFile(join(dir, 'acks.json'), 'utf8')).ackedBelow).toBe(lsns[20]));
    // Fewer than ackFlushCount and long before ackFlushMs: these exist only in the dropped instance's memory.
    for (const lsn of lsns.slice(20, 25)) first.ack(lsn);
    opened.splice(opened.indexOf(first), 1); // "killed": never closed

    const second = await openOutbox(dir);
    expect((await readAll(second)).map((r) => envelope(r).data)).toEqual(Array.from({ length: 30 }, (_, i) => i + 21));
    expect((await second.enqueue({ stream: 'pen', schema: 'p/1', data: 51, priority: 'event' })).seq).toBe(51);
    opened.push(first); // closed last, by afterEach
  });

  it('keeps out-of-order acks across a restart', async () => {
    const dir = await tempDir();
    const first = await openOutbox(dir);
    for (let i = 1; i <= 20; i++) await first.enqueue({ stream: 's', schema: 's/1', data: i, priority: 'result' });
    for (const r of await first.read(0, 100)) if (envelope(r).seq % 2 === 0) first.ack(r.lsn);
    await first.close();
    const second = await openOutbox(dir);
    expect((await readAll(second)).map((r) => envelope(r).data)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    expect(second.stats().depthMessages).toBe(10);
  });

  it('never repeats a seq or an LSN after all segments of a stream were acked and deleted', async () => {
    const dir = await tempDir();
    const opts = { segmentBytes: 4096, maxBytes: 1024 * 1024 };
    const first = await openOutbox(dir, opts);
    const data = 'y'.repeat(300);
    let lastLsn = 0;
    for (let i = 0; i < 60; i++) lastLsn = (await first.enqueue({ stream: i < 50 ? 'a' : 'b', schema: 's/1', data, priority: 'event' })).lsn;
    expect((await segmentFiles(dir)).length).toBeGreaterThan(4);
    for (const r of await readAll(first)) first.ack(r.lsn);
    await first.close();
    const [newest, ...others] = (await segmentFiles(dir)).reverse();
    expect(others).toEqual([]); // only the newest segment is kept

    // The newest segment lost as well: acks.json's copy of the counters carries on.
    await truncate(join(dir, newest!), 0);
    const second = await openOutbox(dir, opts);
    const a51 = await second.enqueue({ stream: 'a', schema: 's/1', data, priority: 'event' });
    expect(a51.seq).toBe(51);
    expect(a51.lsn).toBeGreaterThan(lastLsn);
    await second.close();

    // acks.json lost instead: the snapshot opening the segment carries on.
    await rm(join(dir, 'acks.json'));
    const third = await openOutbox(dir, opts);
    expect((await third.enqueue({ stream: 'a', schema: 's/1', data, priority: 'event' })).seq).toBe(52);
    expect((await third.enqueue({ stream: 'b', schema: 's/1', data, priority: 'event' })).seq).toBe(11);
  });

  it('cuts a torn tail at any offset, keeps everything before it, logs file and offset, and appends after it', async () => {
    const source = await tempDir();
    const writer = await openOutbox(source);
    for (let i = 1; i <= 12; i++) await writer.enqueue({ stream: 's', schema: 's/1', data: 'z'.repeat(i * 17), priority: 'event' });
    const originals = await readAll(writer);
    await writer.close();
    const [name] = await segmentFiles(source);
    const image = await readFile(join(source, name!));
    const layout = frames(image); // the snapshot, then the 12 messages
    expect(layout).toHaveLength(13);

    const rand = prng(9);
    const tail = layout.at(-2)!.offset;
    const cuts = [...Array.from({ length: image.length - tail }, (_, i) => tail + i).filter((_c, i) => i < 12 || i % 11 === 0), ...Array.from({ length: 10 }, () => Math.floor(rand() * image.length))];
    for (const cut of cuts) {
      const dir = await tempDir();
      await writeFile(join(dir, name!), image.subarray(0, cut));
      const { logger, lines } = captureLogger();
      const outbox = await openOutbox(dir, { logger });
      const boundary = Math.max(0, ...layout.filter((f) => f.end <= cut).map((f) => f.end));
      const intact = Math.max(0, layout.filter((f) => f.end <= cut).length - 1);
      const records = await readAll(outbox);
      expect(records.map((r) => r.payload), `cut at ${cut}`).toEqual(originals.slice(0, intact).map((r) => r.payload));
      const torn = cut !== boundary;
      expect(outbox.stats().tornTailsRecovered).toBe(torn ? 1 : 0);
      if (torn) expect(lines.find((l) => l.level === 40)).toMatchObject({ file: join(dir, name!), offset: boundary });
      expect((await stat(join(dir, name!))).size).toBe(boundary);
      const next = await outbox.enqueue({ stream: 's', schema: 's/1', data: 'after', priority: 'event' });
      expect(next.seq).toBe(intact + 1);
      await outbox.close();
      const again = await openOutbox(dir);
      expect((await readAll(again)).map((r) => envelope(r).data).at(-1)).toBe('after');
      expect(again.stats().tornTailsRecovered).toBe(0);
      await again.close();
      await rm(dir, { recursive: true });
    }
  });

  it('steps over damage in older segments, logging and counting it, and delivers the rest', async () => {
    const dir = await tempDir();
    const opts = { segmentBytes: 4096, maxBytes: 1024 * 1024 };
    const writer = await openOutbox(dir, opts);
    for (let i = 1; i <= 40; i++) await writer.enqueue({ stream: 's', schema: 's/1', data: { i, pad: 'q'.repeat(250) }, priority: 'result' });
    await writer.close();
    const files = await segmentFiles(dir);
    expect(files.length).toBeGreaterThanOrEqual(4);

    // Segment 2: a flipped byte in a body. Segment 3: a destroyed length field. Segment 1: its last record torn.
    const damage = async (file: string, pick: (f: Array<{ offset: number; end: number }>) => { at: number; len: number }): Promise<number> => {
      const buf = await readFile(join(dir, file));
      const { at, len } = pick(frames(buf));
      for (let i = at; i < at + len; i++) buf[i] = buf[i]! ^ 0x5a;
      await writeFile(join(dir, file), buf);
      return at;
    };
    await damage(files[1]!, (f) => ({ at: f[2]!.offset + 40, len: 1 }));
    await damage(files[2]!, (f) => ({ at: f[3]!.offset, len: 4 }));
    await damage(files[0]!, (f) => ({ at: f.at(-1)!.end - 3, len: 3 }));

    const { logger, lines } = captureLogger();
    const outbox = await openOutbox(dir, { ...opts, logger });
    const delivered = (await readAll(outbox)).map((r) => (envelope(r).data as { i: number }).i);
    expect(delivered).toHaveLength(37);
    expect(outbox.stats()).toMatchObject({ corruptRecords: 3, tornTailsRecovered: 0 });
    const errors = lines.filter((l) => l.level === 50);
    expect(errors.map((l) => l.file)).toEqual([join(dir, files[0]!), join(dir, files[1]!), join(dir, files[2]!)]);
    expect(errors.every((l) => typeof l.offset === 'number')).toBe(true);
  });

  it('detects a record damaged after it was indexed when reading it, and moves past it', async () => {
    const dir = await tempDir();
    const outbox = await openOutbox(dir);
    for (let i = 1; i <= 5; i++) await outbox.enqueue({ stream: 's', schema: 's/1', data: i, priority: 'event' });
    const [name] = await segmentFiles(dir);
    const buf = await readFile(join(dir, name!));
    const third = frames(buf)[3]!;
    buf[third.end - 2] = buf[third.end - 2]! ^ 1;
    await writeFile(join(dir, name!), buf);
    expect((await outbox.read(0, 10)).map((r) => envelope(r).data)).toEqual([1, 2, 4, 5]);
    expect(outbox.stats()).toMatchObject({ corruptRecords: 1, depthMessages: 4 });
  });

  it('round-trips 100k records, then frees the disk once they are acked', async () => {
    const dir = await tempDir();
    const outbox = await openOutbox(dir);
    const total = 100_000;
    for (let sent = 0; sent < total; sent += 2000) {
      await Promise.all(Array.from({ length: 2000 }, (_, k) => outbox.enqueue({ stream: `s${(sent + k) % 10}`, schema: 'bulk/1', data: { n: sent + k }, priority: 'telemetry' })));
    }
    const records = await readAll(outbox);
    expect(records).toHaveLength(total);
    const lastSeq = new Map<string, number>();
    const ids = new Set<string>();
    let previousLsn = 0;
    for (const r of records) {
      const env = envelope(r);
      expect(r.lsn > previousLsn && env.seq === (lastSeq.get(r.stream) ?? 0) + 1).toBe(true);
      previousLsn = r.lsn;
      lastSeq.set(r.stream, env.seq);
      ids.add(env.id);
    }
    expect(ids.size).toBe(total);
    for (const r of records) outbox.ack(r.lsn);
    await outbox.close();
    expect(await segmentFiles(dir)).toHaveLength(1);
    const reopened = await openOutbox(dir);
    expect(reopened.firstUnackedLsn()).toBeNull();
    expect(reopened.stats().depthMessages).toBe(0);
  });
});
