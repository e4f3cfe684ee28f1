import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log/logger.js';
import { DistrictSubscriber } from '../test-support/district-subscriber.js';
import { startMosquitto, type MosquittoBroker } from '../test-support/mosquitto.js';
import { Outbox } from './outbox/outbox.js';
import type { UplinkState } from './types.js';
import { Uplink } from './uplink.js';

/** End to end with the real, on-disk outbox: what the gateway runs. */
let broker: MosquittoBroker;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  broker = await startMosquitto({ persistence: true });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await broker.dispose();
});

async function openOutbox(dir: string): Promise<Outbox> {
  const outbox = await Outbox.open({ dir, logger: silentLogger() });
  cleanups.push(() => outbox.close());
  return outbox;
}

function startUplink(outbox: Outbox, base: string): { uplink: Uplink; states: UplinkState[] } {
  const states: UplinkState[] = [];
  const uplink = new Uplink({
    url: broker.url,
    gatewayId: base.split('/').pop()!,
    baseTopic: base,
    version: '1.2.3',
    outbox,
    logger: silentLogger(),
    backoff: { minSeconds: 0.1, maxSeconds: 1 },
  });
  uplink.on('state', (s) => states.push(s.state));
  // Registered after the outbox's close, so it runs before it: the uplink stops first.
  cleanups.push(() => uplink.stop({ flushTimeoutMs: 1000 }));
  uplink.start();
  return { uplink, states };
}

async function setup(records: number, streams: string[]) {
  const base = `classroom/s1/c1/gw-${randomUUID().slice(0, 8)}`;
  const district = await DistrictSubscriber.connect(broker.url, `${base}/#`);
  cleanups.push(() => district.close());
  const dir = await mkdtemp(join(tmpdir(), 'uplink-outbox-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const outbox = await openOutbox(dir);
  await Promise.all(
    Array.from({ length: records }, (_, i) => outbox.enqueue({ stream: streams[i % streams.length]!, schema: 'test/1', data: { i }, priority: 'event' })),
  );
  return { base, district, outbox, dir };
}

/** Every stream arrived complete, in seq order, once duplicates are dropped by envelope id. */
function arrivedInOrder(district: DistrictSubscriber, base: string, perStream: Record<string, number>): boolean {
  return Object.entries(perStream).every(([stream, count]) => {
    const seqs = district.envelopes(`${base}/${stream}`).map((e) => e.seq);
    return seqs.length === count && seqs.every((seq, i) => seq === i + 1);
  });
}

function expectInOrder(district: DistrictSubscriber, base: string, perStream: Record<string, number>): void {
  for (const [stream, count] of Object.entries(perStream)) {
    expect(district.envelopes(`${base}/${stream}`).map((e) => e.seq), stream).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  }
}

describe('uplink replay of the real outbox to a real broker', () => {
  it('delivers every record once and in seq order, acks all of them, and measures the replay rate', async () => {
    const n = 20_000;
    const streams = { health: n / 2, 'device/scanner-1/event': n / 2 };
    const { base, district, outbox } = await setup(n, Object.keys(streams));
    let t0 = 0;
    const { uplink } = startUplink(outbox, base);
    uplink.on('state', (s) => s.state === 'connected' && (t0 = performance.now()));
    await district.waitFor(() => outbox.firstUnackedLsn() === null, 30_000, 'outbox drained');
    const seconds = (performance.now() - t0) / 1000;
    console.info(`uplink replay (real outbox, subscriber in the same process): ${n} records acked in ${seconds.toFixed(2)} s = ${Math.round(n / seconds)} msg/s`);
    await district.waitFor(() => district.received.length >= n + 1, 30_000, 'all messages at the subscriber');
    expectInOrder(district, base, streams);
    expect(outbox.stats()).toMatchObject({ depthMessages: 0, acked: n });

    // Records appended later still flow: once drained the replay waits for 'appended'.
    await outbox.enqueue({ stream: 'health', schema: 'test/1', data: { late: true }, priority: 'event' });
    await district.waitFor(() => outbox.firstUnackedLsn() === null && arrivedInOrder(district, base, { health: n / 2 + 1 }), 5000, 'the late record');
    expect(uplink.status()).toMatchObject({ state: 'connected', protocol: '5', acked: n + 1, sent: n + 1, reconnects: 0, lastError: null });
  });

  it('survives a broker stop (SIGTERM) and restart mid-stream: everything arrives once, in order', async () => {
    const n = 30_000;
    const streams = { health: n / 3, alarm: n / 3, 'device/pen-1/event': n / 3 };
    const { base, district, outbox } = await setup(n, Object.keys(streams));
    const { uplink, states } = startUplink(outbox, base);
    await district.waitFor(() => district.received.length > 2000, 20_000, 'the stream to start');
    await broker.stop('SIGTERM');
    expect(outbox.firstUnackedLsn(), 'the broker must stop mid-stream').not.toBeNull();
    await district.waitFor(() => uplink.status().state === 'backoff', 5000, 'uplink in backoff');
    expect(uplink.status().lastError).toMatch(/shutting down|refused|closed|reset/);
    await broker.restart();

    await district.waitFor(() => outbox.firstUnackedLsn() === null, 30_000, 'outbox drained after the restart');
    await district.waitFor(() => arrivedInOrder(district, base, streams), 30_000, 'all messages at the subscriber');
    expectInOrder(district, base, streams);
    expect(uplink.status()).toMatchObject({ state: 'connected' });
    expect(uplink.status().reconnects).toBeGreaterThanOrEqual(1);
    expect(states).toContain('backoff');
  });

  it('picks up where it left off after a gateway restart mid-stream (outbox reopened from disk): once, in order', async () => {
    const n = 20_000;
    const streams = { health: n / 2, alarm: n / 2 };
    const { base, district, outbox, dir } = await setup(n, Object.keys(streams));
    const first = startUplink(outbox, base);
    await district.waitFor(() => district.received.length > 3000, 20_000, 'the stream to start');
    // No flush: records in flight stay un-acked and are sent again by the next uplink.
    await first.uplink.stop({ flushTimeoutMs: 0 });
    await outbox.close();

    const reopened = await openOutbox(dir);
    expect(reopened.firstUnackedLsn()).not.toBeNull();
    startUplink(reopened, base);
    await district.waitFor(() => reopened.firstUnackedLsn() === null, 30_000, 'reopened outbox drained');
    await district.waitFor(() => arrivedInOrder(district, base, streams), 30_000, 'all messages at the subscriber');
    expectInOrder(district, base, streams);
  });
});
