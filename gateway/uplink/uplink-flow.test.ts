import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DistrictSubscriber } from '../test-support/district-subscriber.js';
import { MemoryOutbox, testUplink } from '../test-support/memory-outbox.js';
import { startMosquitto, type MosquittoBroker } from '../test-support/mosquitto.js';
import { startTcpProxy, type TcpProxy } from '../test-support/tcp-proxy.js';
import type { Availability } from '../contract/types.generated.js';
import type { UplinkOptions } from './types.js';

let broker: MosquittoBroker;
let aclCleanup: () => Promise<void>;
const cleanups: (() => Promise<void>)[] = [];
const FORBIDDEN = 'device/forbidden/event';

beforeAll(async () => {
  // Everything is allowed except one stream, so the broker refuses exactly those PUBLISHes.
  const aclFile = join(tmpdir(), `uplink-acl-${randomUUID()}`);
  await writeFile(aclFile, ['topic read #', 'topic readwrite classroom/+/+/+/health', 'topic readwrite classroom/+/+/+/availability', 'topic readwrite classroom/+/+/+/alarm', ''].join('\n'));
  broker = await startMosquitto({ extraConfig: [`acl_file ${aclFile}`] });
  aclCleanup = () => rm(aclFile, { force: true });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await broker.dispose();
  await aclCleanup();
});

async function setup(extra: Partial<UplinkOptions> = {}, proxy?: TcpProxy) {
  const gatewayId = `gw-${randomUUID().slice(0, 8)}`;
  const base = `classroom/s1/c1/${gatewayId}`;
  const district = await DistrictSubscriber.connect(broker.url, `${base}/#`);
  cleanups.push(() => district.close());
  const outbox = new MemoryOutbox();
  const uplink = testUplink(proxy ? `mqtt://127.0.0.1:${proxy.port}` : broker.url, gatewayId, base, outbox, extra);
  cleanups.push(() => uplink.stop({ flushTimeoutMs: 300 }));
  const connected = (): Promise<void> => district.waitFor(() => uplink.status().state === 'connected' && district.received.length > 0, 5000, 'connected and online');
  return { base, district, outbox, uplink, connected };
}

async function stalledProxy(): Promise<TcpProxy> {
  const proxy = await startTcpProxy(broker.port);
  cleanups.push(() => proxy.close());
  return proxy;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('uplink flow control', () => {
  it('keeps at most `inflight` records un-PUBACKed, never more than the broker Receive Maximum, and re-sends them after a reconnect', async () => {
    const proxy = await stalledProxy();
    const small = await setup({ inflight: 10 }, proxy);
    const large = await setup({}, proxy);
    small.uplink.start();
    large.uplink.start();
    await small.connected();
    await large.connected();

    proxy.stall(true);
    for (let i = 0; i < 100; i++) {
      small.outbox.append('health', { i });
      large.outbox.append('health', { i });
    }
    await sleep(300);
    expect(small.uplink.status().sent).toBe(10);
    // Mosquitto's CONNACK says Receive Maximum 20 (its max_inflight_messages default).
    expect(large.uplink.status().sent).toBe(20);

    // The stalled publishes are lost on the wire: only a new connection brings them back.
    proxy.stall(false);
    proxy.cut();
    for (const { district, outbox, base } of [small, large]) {
      await district.waitFor(() => outbox.depth === 0 && district.envelopes(`${base}/health`).length === 100, 10_000, 'all records after the reconnect');
      expect(district.envelopes(`${base}/health`).map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    }
  });

  it('notices a hung broker by keepalive, and re-sends what was in flight on the next connection', async () => {
    const proxy = await stalledProxy();
    const { base, district, outbox, uplink, connected } = await setup({ keepaliveSeconds: 1 }, proxy);
    uplink.start();
    await connected();
    proxy.stall(true);
    for (let i = 0; i < 50; i++) outbox.append('health', { i });
    const problem = await new Promise<string | null>((resolve) => uplink.on('state', (s) => s.state === 'backoff' && resolve(s.lastError)));
    expect(problem).toMatch(/Keepalive timeout/);
    expect(outbox.depth).toBe(50);
    proxy.stall(false);
    await district.waitFor(() => outbox.depth === 0 && district.envelopes(`${base}/health`).length === 50, 10_000, 'the records after the reconnect');
  });

  it('drops the connection when the broker refuses a record, and keeps the record (and all after it) for later', async () => {
    const { base, district, outbox, uplink } = await setup();
    outbox.append('health', { n: 1 });
    outbox.append(FORBIDDEN, { n: 2 });
    uplink.start();
    const problem = await new Promise<string | null>((resolve) => uplink.on('state', (s) => s.state === 'backoff' && resolve(s.lastError)));
    expect(problem).toMatch(new RegExp(`broker refused record 2 on ${base}/${FORBIDDEN}: Publish error: Not authorized`));
    expect(outbox.firstUnackedLsn()).toBe(2);
    await district.waitFor(() => district.envelopes(`${base}/health`).length === 1, 5000, 'the allowed record');
    expect(district.envelopes(`${base}/${FORBIDDEN}`)).toEqual([]);
  });
});

describe('uplink stop', () => {
  it('flushes queued records before publishing offline', async () => {
    const { base, district, outbox, uplink, connected } = await setup();
    uplink.start();
    await connected();
    for (let i = 0; i < 3000; i++) outbox.append('alarm', { i });
    await uplink.stop({ flushTimeoutMs: 20_000 });
    expect(outbox.depth).toBe(0);
    await district.waitFor(() => district.json<Availability>(`${base}/availability`).some((a) => a.state === 'offline'), 5000, 'offline');
    expect(district.envelopes(`${base}/alarm`)).toHaveLength(3000);
    expect(district.received.at(-1)?.topic).toBe(`${base}/availability`);
  });

  it('resolves within its timeout when the broker hangs, leaving un-acked records in the outbox', async () => {
    const proxy = await stalledProxy();
    const { outbox, uplink, connected } = await setup({}, proxy);
    uplink.start();
    await connected();
    proxy.stall(true);
    for (let i = 0; i < 50; i++) outbox.append('health', { i });
    const t0 = performance.now();
    await uplink.stop({ flushTimeoutMs: 800 });
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThan(500);
    expect(elapsed).toBeLessThan(1500);
    expect(uplink.status().state).toBe('stopped');
    expect(outbox.depth).toBe(50);
  });

  it('resolves at once while the broker is unreachable', async () => {
    const proxy = await stalledProxy();
    proxy.block(true);
    const { uplink } = await setup({}, proxy);
    uplink.start();
    await new Promise<void>((resolve) => uplink.on('state', (s) => s.state === 'backoff' && resolve()));
    const t0 = performance.now();
    await uplink.stop({ flushTimeoutMs: 5000 });
    expect(performance.now() - t0).toBeLessThan(500);
    expect(uplink.status().state).toBe('stopped');
  });
});
