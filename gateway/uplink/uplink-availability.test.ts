import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ContractValidator } from '../contract/validator.js';
import type { Availability } from '../contract/types.generated.js';
import { DistrictSubscriber, retainedMessage } from '../test-support/district-subscriber.js';
import { MemoryOutbox, testUplink } from '../test-support/memory-outbox.js';
import { startMosquitto, type MosquittoBroker } from '../test-support/mosquitto.js';
import { startTcpProxy, type TcpProxy } from '../test-support/tcp-proxy.js';
import type { UplinkOptions } from './types.js';

let broker: MosquittoBroker;
const validator = new ContractValidator();
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  broker = await startMosquitto();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await broker.dispose();
});

async function setup(extra: Partial<UplinkOptions> = {}, via?: TcpProxy) {
  const gatewayId = `gw-${randomUUID().slice(0, 8)}`;
  const base = `classroom/s1/c1/${gatewayId}`;
  const district = await DistrictSubscriber.connect(broker.url, `${base}/#`);
  cleanups.push(() => district.close());
  const outbox = new MemoryOutbox();
  const uplink = testUplink(via ? `mqtt://127.0.0.1:${via.port}` : broker.url, gatewayId, base, outbox, { keepaliveSeconds: 5, ...extra });
  cleanups.push(() => uplink.stop({ flushTimeoutMs: 500 }));
  const availability = (): Availability[] => district.json<Availability>(`${base}/availability`);
  const retained = async (): Promise<Availability | null> => {
    const m = await retainedMessage(broker.url, `${base}/availability`);
    return m ? (JSON.parse(m.payload.toString('utf8')) as Availability) : null;
  };
  return { base, district, outbox, uplink, availability, retained };
}

describe('uplink availability (retained online/offline and the Last Will)', () => {
  it('publishes online when connected and offline (retained) on a clean stop', async () => {
    const { district, uplink, availability, retained } = await setup();
    uplink.start();
    await district.waitFor(() => availability().length === 1, 5000, 'online');
    const online = availability()[0]!;
    expect(online).toMatchObject({ schema: 'availability/1', state: 'online', version: '1.2.3' });
    expect(validator.problems('availability/1', online)).toEqual([]);
    expect((await retained())?.state).toBe('online');

    await uplink.stop({ flushTimeoutMs: 2000, reason: 'restart' });
    await district.waitFor(() => availability().length === 2, 5000, 'offline');
    const offline = availability()[1]!;
    expect(offline).toMatchObject({ state: 'offline', reason: 'restart' });
    expect(validator.problems('availability/1', offline)).toEqual([]);
    expect((await retained())?.state).toBe('offline');
    expect(uplink.status().state).toBe('stopped');
    // A clean DISCONNECT discards the will: no second offline from the broker.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(availability()).toHaveLength(2);
  });

  it('leaves the will (retained offline, connection time in ts) when its connection dies abruptly, then comes back online', async () => {
    const proxy = await startTcpProxy(broker.port);
    cleanups.push(() => proxy.close());
    const { district, outbox, uplink, availability, retained } = await setup({}, proxy);
    uplink.start();
    await district.waitFor(() => availability().length === 1, 5000, 'online');
    const connectedAt = Date.parse(availability()[0]!.ts);

    proxy.block(true);
    proxy.cut();
    await district.waitFor(() => availability().length === 2, 5000, 'the will');
    const will = availability()[1]!;
    expect(will).toMatchObject({ state: 'offline', reason: 'connection lost', version: '1.2.3' });
    expect(validator.problems('availability/1', will)).toEqual([]);
    expect(Math.abs(Date.parse(will.ts) - connectedAt)).toBeLessThan(1000);
    expect((await retained())?.state).toBe('offline');
    await district.waitFor(() => uplink.status().state !== 'connected', 5000, 'the uplink to notice');

    // Records made while the link is down go out once it is back, after `online`.
    outbox.append('alarm', { during: 'outage' });
    proxy.block(false);
    await district.waitFor(() => availability().length === 3 && outbox.depth === 0, 10_000, 'online again and the alarm delivered');
    expect(availability()[2]!.state).toBe('online');
    expect((await retained())?.state).toBe('online');
    expect(uplink.status().reconnects).toBeGreaterThanOrEqual(1);
  });
});

describe('uplink requests from the district', () => {
  it('hands <base>/request/<op> to onRequest, and survives a handler that throws', async () => {
    const calls: [string, string][] = [];
    const { base, district, uplink } = await setup({
      subscribeRequests: true,
      onRequest: (op, payload) => {
        calls.push([op, payload.toString('utf8')]);
        if (op === 'explode') throw new Error('handler bug');
      },
    });
    uplink.start();
    // The uplink sends SUBSCRIBE before `online` on the same connection, so once `online`
    // arrives the broker has the subscription.
    await district.waitFor(() => district.received.length > 0, 5000, 'online');
    await district.client.publishAsync(`${base}/request/explode`, '{}', { qos: 1 });
    await district.client.publishAsync(`${base}/request/status`, '{"transaction":"t1"}', { qos: 1 });
    await district.waitFor(() => calls.length === 2, 5000, 'two requests');
    expect(calls).toEqual([
      ['explode', '{}'],
      ['status', '{"transaction":"t1"}'],
    ]);
    expect(uplink.status().state).toBe('connected');
  });

  it('does not subscribe unless asked to', async () => {
    const calls: string[] = [];
    const { base, district, uplink } = await setup({ onRequest: (op) => void calls.push(op) });
    uplink.start();
    await district.waitFor(() => district.received.length > 0, 5000, 'online');
    await district.client.publishAsync(`${base}/request/status`, '{}', { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toEqual([]);
  });
});
