import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DistrictSubscriber } from '../test-support/district-subscriber.js';
import { MemoryOutbox, testUplink } from '../test-support/memory-outbox.js';
import { startMosquitto, type MosquittoBroker } from '../test-support/mosquitto.js';
import { startTcpProxy } from '../test-support/tcp-proxy.js';
import type { UplinkOptions } from './types.js';
import { Uplink } from './uplink.js';

/**
 * Mosquitto 2.0 cannot restrict a listener to MQTT 3.1.1, but aedes (the gateway's own local
 * bus, which an uplink without a district talks to) speaks only 3.1.1 and answers a v5
 * CONNECT with CONNACK "unacceptable protocol version": a real broker for the fallback.
 */
let aedes: Aedes;
let aedesServer: Server;
let aedesUrl: string;
let mosquitto: MosquittoBroker;
/** Protocol version of every CONNECT aedes saw, by client id. */
const connects = new Map<string, number[]>();
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  aedes = await Aedes.createBroker({
    preConnect: (_client, packet, done) => {
      connects.set(packet.clientId, [...(connects.get(packet.clientId) ?? []), packet.protocolVersion ?? 0]);
      done(null, true);
    },
  });
  aedesServer = createServer((socket) => aedes.handle(socket));
  await new Promise<void>((resolve) => aedesServer.listen(0, '127.0.0.1', resolve));
  aedesUrl = `mqtt://127.0.0.1:${(aedesServer.address() as AddressInfo).port}`;
  mosquitto = await startMosquitto();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await new Promise<void>((resolve) => aedesServer.close(() => resolve()));
  await new Promise<void>((resolve) => aedes.close(() => resolve()));
  await mosquitto.dispose();
});

function uplinkFor(url: string, extra: Partial<UplinkOptions> = {}) {
  const gatewayId = `gw-${randomUUID().slice(0, 8)}`;
  const base = `classroom/s1/c1/${gatewayId}`;
  const outbox = new MemoryOutbox();
  const uplink = testUplink(url, gatewayId, base, outbox, extra);
  cleanups.push(() => uplink.stop({ flushTimeoutMs: 500 }));
  return { uplink, outbox, base, clientId: `${gatewayId}-uplink` };
}

const connected = (uplink: Uplink): Promise<void> => new Promise((resolve) => uplink.on('state', (s) => s.state === 'connected' && resolve()));

describe('uplink MQTT version', () => {
  it('falls back to 3.1.1 when the broker refuses MQTT 5, delivers, and stays on 3.1.1 after a reconnect', async () => {
    const proxy = await startTcpProxy(Number(new URL(aedesUrl).port));
    cleanups.push(() => proxy.close());
    const { uplink, outbox, base, clientId } = uplinkFor(`mqtt://127.0.0.1:${proxy.port}`);
    const district = await DistrictSubscriber.connect(aedesUrl, `${base}/#`);
    cleanups.push(() => district.close());
    for (let i = 0; i < 500; i++) outbox.append('health', { i });

    uplink.start();
    await connected(uplink);
    expect(uplink.status().protocol).toBe('3.1.1');
    await district.waitFor(() => outbox.depth === 0 && district.envelopes(`${base}/health`).length === 500, 10_000, 'records over 3.1.1');
    expect(district.envelopes(`${base}/health`).map((e) => e.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));

    proxy.cut();
    await connected(uplink);
    expect(connects.get(clientId)).toEqual([5, 4, 4]);
  });

  it("does not fall back when told to speak only MQTT 5, and says why it cannot connect", async () => {
    const { uplink, clientId } = uplinkFor(aedesUrl, { protocol: '5' });
    const problem = new Promise<string | null>((resolve) => uplink.on('state', (s) => s.state === 'backoff' && resolve(s.lastError)));
    uplink.start();
    expect(await problem).toMatch(/does not support this MQTT version/);
    expect(connects.get(clientId)).toEqual([5]);
  });

  it('speaks MQTT 5 to a broker that has it, and 3.1.1 when configured so', async () => {
    const v5 = uplinkFor(mosquitto.url);
    v5.uplink.start();
    await connected(v5.uplink);
    expect(v5.uplink.status().protocol).toBe('5');

    const v311 = uplinkFor(mosquitto.url, { protocol: '3.1.1' });
    v311.uplink.start();
    await connected(v311.uplink);
    expect(v311.uplink.status().protocol).toBe('3.1.1');
  });
});
