import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../log/logger.js';
import type { OutboxSource } from '../types.js';
import { Outbox, type OutboxOptions } from './outbox.js';
import { fileHandlePrototype, useTempDirs } from './test-support/helpers.js';
import { OutboxFullError, OutboxWriteError, type Envelope, type OutboxPressure, type OutboxRecord } from './types.js';

const tempDir = useTempDirs();
const opened: Outbox[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const outbox of opened.splice(0).reverse()) await outbox.close();
});

async function openOutbox(overrides: Partial<OutboxOptions> = {}): Promise<Outbox> {
  const outbox = await Outbox.open({ dir: overrides.dir ?? (await tempDir()), logger: silentLogger(), ...overrides });
  opened.push(outbox);
  return outbox;
}

const envelope = (r: OutboxRecord): Envelope => JSON.parse(r.payload.toString('utf8')) as Envelope;

describe('Outbox enqueue', () => {
  it('stores the envelope with a UUID, per-stream seq from 1 and the ISO time', async () => {
    const outbox = await openOutbox();
    const a1 = await outbox.enqueue({ stream: 'health', schema: 'health/1', data: { cpu: 0.5 }, priority: 'telemetry' });
    const b1 = await outbox.enqueue({ stream: 'device/pen-1/event', schema: 'pen-event/1', data: ['ü', 1], priority: 'event', retain: true });
    const a2 = await outbox.enqueue({ stream: 'health', schema: 'health/1', data: undefined, priority: 'result' });
    expect([a1.seq, b1.seq, a2.seq]).toEqual([1, 1, 2]);
    expect(a1.lsn < b1.lsn && b1.lsn < a2.lsn).toBe(true);
    expect(a1.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const records = await outbox.read(0, 10);
    expect(records.map((r) => [r.lsn, r.stream, r.priority, r.retain])).toEqual([
      [a1.lsn, 'health', 'telemetry', false],
      [b1.lsn, 'device/pen-1/event', 'event', true],
      [a2.lsn, 'health', 'result', false],
    ]);
    const env = envelope(records[1]!);
    expect(Object.keys(env)).toEqual(['schema', 'id', 'seq', 'ts', 'data']);
    expect(env).toEqual({ schema: 'pen-event/1', id: b1.id, seq: 1, ts: expect.any(String), data: ['ü', 1] });
    expect(new Date(env.ts).toISOString()).toBe(env.ts);
    expect(envelope(records[2]!).data).toBeNull();
  });

  it('rejects bad input without storing anything', async () => {
    const outbox = await openOutbox();
    const bigint = { n: 1n };
    await expect(outbox.enqueue({ stream: '', schema: 's/1', data: 1, priority: 'event' })).rejects.toThrow(TypeError);
    await expect(outbox.enqueue({ stream: 's', schema: 's/1', data: 1, priority: 'urgent' as 'event' })).rejects.toThrow(TypeError);
    await expect(outbox.enqueue({ stream: 's', schema: 's/1', data: bigint, priority: 'event' })).rejects.toThrow(TypeError);
    await expect(outbox.enqueue({ stream: 's', schema: 's/1', data: 'x'.repeat(9 * 1024 * 1024), priority: 'event' })).rejects.toThrow(RangeError);
    expect(await outbox.read(0, 10)).toEqual([]);
    expect((await outbox.enqueue({ stream: 's', schema: 's/1', data: 1, priority: 'event' })).seq).toBe(1);
  });

  it('resolves only after fdatasync, and concurrent enqueues share one write and one fdatasync', async () => {
    const dir = await tempDir();
    const proto = await fileHandlePrototype(dir);
    const outbox = await openOutbox({ dir });
    let releaseSync!: () => void;
    const gate = new Promise<void>((resolve) => (releaseSync = resolve));
    const original = proto.datasync;
    const datasync = vi.spyOn(proto, 'datasync').mockImplementation(async function (this: typeof proto) {
      await gate;
      return original.call(this);
    });
    const write = vi.spyOn(proto, 'write');

    let settled = 0;
    const all = Array.from({ length: 300 }, (_, i) => outbox.enqueue({ stream: `s${i % 4}`, schema: 't/1', data: { i }, priority: 'event' }).then((r) => (settled++, r)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(0); // the first batch is stuck in fdatasync: nobody has been told "safe"
    expect(datasync).toHaveBeenCalledTimes(1);
    releaseSync();
    const results = await Promise.all(all);
    // One batch for the first enqueue, the other 299 queued behind it as the next batch.
    expect(datasync).toHaveBeenCalledTimes(2);
    expect(write).toHaveBeenCalledTimes(2);
    expect(new Set(results.map((r) => r.id)).size).toBe(300);
  });

  it('rejects a batch hit by an I/O error, gives its seqs back, and accepts later messages', async () => {
    const dir = await tempDir();
    const proto = await fileHandlePrototype(dir);
    const outbox = await openOutbox({ dir });
    const enqueue = (n: number) => outbox.enqueue({ stream: 'scans', schema: 'scan/1', data: { n }, priority: 'result' });
    await enqueue(1);
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    vi.spyOn(proto, 'write').mockRejectedValueOnce(enospc);
    const failed = enqueue(2);
    await expect(failed).rejects.toThrow(OutboxWriteError);
    await expect(failed).rejects.toThrow(/ENOSPC/);
    vi.spyOn(proto, 'datasync').mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await expect(enqueue(3)).rejects.toThrow(/EIO/);
    const ok = await enqueue(4);
    expect(ok.seq).toBe(2); // the district sees no gap for messages that were never accepted
    await outbox.close();

    const reopened = await openOutbox({ dir });
    const records = await reopened.read(0, 10);
    expect(records.map((r) => envelope(r).data)).toEqual([{ n: 1 }, { n: 4 }]);
    expect(reopened.stats()).toMatchObject({ tornTailsRecovered: 0, corruptRecords: 0 });
  });

  it('when the file cannot be cut back after a failure, moves to a new segment and skips the seqs', async () => {
    const dir = await tempDir();
    const proto = await fileHandlePrototype(dir);
    const outbox = await openOutbox({ dir });
    await outbox.enqueue({ stream: 's', schema: 's/1', data: 1, priority: 'event' });
    vi.spyOn(proto, 'datasync').mockRejectedValueOnce(new Error('EIO'));
    vi.spyOn(proto, 'truncate').mockRejectedValueOnce(new Error('EIO'));
    await expect(outbox.enqueue({ stream: 's', schema: 's/1', data: 2, priority: 'event' })).rejects.toThrow(OutboxWriteError);
    // The failed record may be on disk after all: its seq must not be handed out again.
    expect((await outbox.enqueue({ stream: 's', schema: 's/1', data: 3, priority: 'event' })).seq).toBe(3);
    expect((await readdir(dir)).filter((f) => f.endsWith('.seg'))).toHaveLength(2);
    expect((await outbox.read(0, 10)).map((r) => envelope(r).data)).toEqual([1, 3]);
    await outbox.close();

    // Here it was (only fdatasync "failed"): after a restart it is delivered, under its own seq.
    const reopened = await openOutbox({ dir });
    expect((await reopened.read(0, 10)).map((r) => [envelope(r).data, envelope(r).seq])).toEqual([[1, 1], [2, 2], [3, 3]]);
  });

  it('refuses after close and close waits for pending appends', async () => {
    const outbox = await openOutbox();
    const pending = Array.from({ length: 20 }, (_, i) => outbox.enqueue({ stream: 's', schema: 's/1', data: i, priority: 'event' }));
    await outbox.close();
    expect((await Promise.all(pending)).map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    await expect(outbox.enqueue({ stream: 's', schema: 's/1', data: 0, priority: 'result' })).rejects.toThrow(/closed/);
    await expect(outbox.read(0, 1)).rejects.toThrow(/closed/);
  });
});

describe('Outbox consumer API', () => {
  it("is the uplink's OutboxSource", async () => {
    const outbox = await openOutbox();
    const source: OutboxSource = outbox; // the real check is the type check
    let appended = 0;
    const onAppended = (): void => void appended++;
    source.on('appended', onAppended);
    await outbox.enqueue({ stream: 's', schema: 's/1', data: 1, priority: 'event' });
    source.off('appended', onAppended);
    await outbox.enqueue({ stream: 's', schema: 's/1', data: 2, priority: 'event' });
    expect(appended).toBe(1);
  });

  it('reads un-acked records from an LSN in order and takes acks in any order', async () => {
    const outbox = await openOutbox();
    const lsns: number[] = [];
    for (let i = 0; i < 10; i++) lsns.push((await outbox.enqueue({ stream: 's', schema: 's/1', data: i, priority: 'event' })).lsn);
    for (const i of [1, 4, 2, 9]) expect(outbox.ack(lsns[i]!)).toBe(true);
    expect(outbox.ack(lsns[4]!)).toBe(false);
    expect(outbox.ack(123_456)).toBe(false);
    expect(outbox.firstUnackedLsn()).toBe(lsns[0]);
    expect((await outbox.read(0, 100)).map((r) => envelope(r).data)).toEqual([0, 3, 5, 6, 7, 8]);
    expect((await outbox.read(lsns[5]!, 2)).map((r) => envelope(r).data)).toEqual([5, 6]);
    outbox.ack(lsns[0]!);
    expect(outbox.firstUnackedLsn()).toBe(lsns[3]);
    expect(outbox.stats()).toMatchObject({ depthMessages: 5, appended: 10, acked: 5 });
    for (const lsn of lsns) outbox.ack(lsn);
    expect(outbox.firstUnackedLsn()).toBeNull();
    expect(outbox.stats()).toMatchObject({ depthMessages: 0, depthBytes: 0, oldestAgeMs: null });
  });

  it('waitForRecords wakes on append, returns at once for existing records, and honours abort and close', async () => {
    const outbox = await openOutbox();
    const appended: number[] = [];
    outbox.on('appended', (lsn) => appended.push(lsn));
    const woken = outbox.waitForRecords();
    const { lsn } = await outbox.enqueue({ stream: 's', schema: 's/1', data: 1, priority: 'event' });
    await woken;
    expect(appended).toEqual([lsn]);
    await outbox.waitForRecords(undefined, lsn); // already there

    const abort = new AbortController();
    const aborted = outbox.waitForRecords(abort.signal, lsn + 1);
    abort.abort(new Error('uplink stopping'));
    await expect(aborted).rejects.toThrow('uplink stopping');

    const closing = outbox.waitForRecords(undefined, lsn + 1);
    await outbox.close();
    await closing;
  });

  it('expires telemetry older than maxAgeMs at read time; events and results never expire', async () => {
    let now = 1_000_000;
    const outbox = await openOutbox({ maxAgeMs: 60_000, now: () => now });
    await outbox.enqueue({ stream: 'health', schema: 'h/1', data: 'old', priority: 'telemetry' });
    await outbox.enqueue({ stream: 'ev', schema: 'e/1', data: 'old event', priority: 'event' });
    await outbox.enqueue({ stream: 'res', schema: 'r/1', data: 'old result', priority: 'result' });
    now += 50_000;
    await outbox.enqueue({ stream: 'health', schema: 'h/1', data: 'fresh', priority: 'telemetry' });
    expect(outbox.stats().oldestAgeMs).toBe(50_000);
    now += 20_000;
    expect((await outbox.read(0, 10)).map((r) => envelope(r).data)).toEqual(['old event', 'old result', 'fresh']);
    expect(outbox.stats()).toMatchObject({ expired: 1, acked: 0, depthMessages: 3 });
    now += 365 * 24 * 3600_000;
    expect((await outbox.read(0, 10)).map((r) => envelope(r).data)).toEqual(['old event', 'old result']);
    expect(outbox.stats().expired).toBe(2);
  });
});

describe('Outbox capacity policy', () => {
  it('refuses telemetry at high, events at full, results beyond the reserve, and emits pressure changes', async () => {
    const maxBytes = 64 * 1024;
    const outbox = await openOutbox({ maxBytes, segmentBytes: 8 * 1024, ackFlushCount: 1 });
    const levels: OutboxPressure[] = [];
    outbox.on('pressure', (level) => levels.push(level));
    const data = 'x'.repeat(400);
    const fill = async (priority: 'telemetry' | 'event' | 'result'): Promise<{ accepted: number; error: unknown }> => {
      for (let accepted = 0; ; accepted++) {
        try {
          await outbox.enqueue({ stream: priority, schema: 'p/1', data, priority });
        } catch (error) {
          return { accepted, error };
        }
      }
    };

    const telemetry = await fill('telemetry');
    expect(telemetry.error).toBeInstanceOf(OutboxFullError);
    expect(telemetry.error).toMatchObject({ priority: 'telemetry', pressure: 'high' });
    expect(outbox.stats().diskBytes).toBeLessThan(0.8 * maxBytes);
    expect(outbox.stats().pressure).toBe('normal');

    const events = await fill('event');
    expect(events.error).toMatchObject({ priority: 'event', pressure: 'full' });
    expect(outbox.stats().diskBytes).toBeLessThan(maxBytes);
    expect(levels).toEqual(['high']);
    await expect(outbox.enqueue({ stream: 'telemetry', schema: 'p/1', data, priority: 'telemetry' })).rejects.toThrow(OutboxFullError);

    const results = await fill('result');
    expect(results.accepted).toBeGreaterThan(5); // the reserve
    expect(results.error).toMatchObject({ priority: 'result', pressure: 'full' });
    expect(outbox.stats().diskBytes).toBeLessThanOrEqual(1.1 * maxBytes);
    expect(levels).toEqual(['high', 'full']);
    expect(outbox.stats().refused).toEqual({ telemetry: 2, event: 1, result: 1 });

    // Nothing accepted was dropped to make room.
    const records = await outbox.read(0, 10_000);
    expect(records).toHaveLength(telemetry.accepted + events.accepted + results.accepted);

    // Draining frees whole segments, and the alarm clears.
    for (const r of records) outbox.ack(r.lsn);
    await vi.waitFor(() => expect(levels.at(-1)).toBe('normal'));
    expect(outbox.stats().diskBytes).toBeLessThanOrEqual(8 * 1024);
    await outbox.enqueue({ stream: 'telemetry', schema: 'p/1', data, priority: 'telemetry' });
  });

  it('under pressure saves acks at once, however long the flush interval, so the space comes back', async () => {
    const outbox = await openOutbox({ maxBytes: 64 * 1024, segmentBytes: 8 * 1024, ackFlushMs: 60_000 });
    const levels: OutboxPressure[] = [];
    outbox.on('pressure', (level) => levels.push(level));
    const lsns: number[] = [];
    while (outbox.stats().pressure === 'normal') lsns.push((await outbox.enqueue({ stream: 'r', schema: 'p/1', data: 'x'.repeat(400), priority: 'result' })).lsn);
    for (const lsn of lsns) outbox.ack(lsn);
    // Well before the 60 s interval: the acked segments are gone and the level is back to normal.
    await vi.waitFor(() => expect(levels.at(-1)).toBe('normal'), { timeout: 5000 });
    expect(outbox.stats().diskBytes).toBeLessThanOrEqual(8 * 1024);
  });

  it('rejects a segment size that is not a small part of the budget', async () => {
    await expect(openOutbox({ maxBytes: 1024 * 1024, segmentBytes: 512 * 1024 })).rejects.toThrow(RangeError);
  });
});
